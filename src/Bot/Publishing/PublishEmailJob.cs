using Hangfire;

namespace Bot.Publishing;

/// <summary>Step 4, when a mailing list was set at publication: the HTML document (and the Markdown as its plain-text
/// part) to the list, once. A failure (server down, AUTH refused) releases the marker, and Hangfire retries.</summary>
[AutomaticRetry(Attempts = 3, DelaysInSeconds = [30, 120, 600])]
public sealed class PublishEmailJob(PublishedDocuments documents, Bot.Postmortems.Meetings.SendMarkers markers, DocumentMailer mailer)
{
    public const string Kind = "publish_email";

    public async Task Run(long incidentId, CancellationToken ct)
    {
        if (await documents.Load(incidentId, ct) is not { Publication.MailingList: { Length: > 0 } list } p) return;
        var to = PublishingOptions.Addresses(list).Where(a => a.Address is not null).Select(a => a.Address!).ToList();
        if (to.Count == 0) return;
        await markers.Once(incidentId, PublicationStore.SendVersion, Kind, list,
            () => mailer.Send(to, p.Subject, p.Renderer.Html(p.Document), p.Renderer.Markdown(p.Document), ct), ct);
    }
}
