using System.Text;
using Bot.Documents;
using Bot.Postmortems.Meetings;
using Bot.Rendering;
using Bot.Slack.Blocks;
using Bot.Slack.WebApi;

namespace Bot.Publishing;

/// <summary>What every publish job starts from: the publication row and the document, rendered on demand.</summary>
public sealed record PublishedDocument(PublicationRow Publication, PostmortemDocument Document, DocumentRenderer Renderer)
{
    public long IncidentId => Document.IncidentId;
    public string FileName => $"postmortem-{Document.Number}.md";
    public string Subject => $"Post-mortem: incident #{Document.Number} {Document.Title}";
    public byte[] Markdown() => Encoding.UTF8.GetBytes(Renderer.Markdown(Document));

    /// <summary>How many readiness problems were overridden, as a clause for a message ("" when none).</summary>
    public string OverriddenNote => Publication.Forced && Publication.ProblemsOverridden.Length > 0
        ? $" :warning: Published with {Publication.ProblemsOverridden.Length} readiness problem{(Publication.ProblemsOverridden.Length == 1 ? "" : "s")} overridden."
        : "";
}

/// <summary>Loads the <see cref="PublishedDocument"/> of an incident (null when it was never published: a job left from
/// a rolled-back transaction cannot exist, but an incident without a publication sends nothing).</summary>
public sealed class PublishedDocuments(PublicationStore store, DocumentBuilder builder, DocumentRenderer renderer)
{
    public async Task<PublishedDocument?> Load(long incidentId, CancellationToken ct)
    {
        if (await store.Get(incidentId, ct) is not { } publication) return null;
        return await builder.Build(incidentId, null, ct) is { } doc ? new PublishedDocument(publication, doc, renderer) : null;
    }
}

/// <summary>Posts the Slack summary into a channel, then shares the Markdown document there as a file: two steps, each
/// with its own sent marker, so a retry after the post does not post it again and still uploads the file.</summary>
public sealed class DocumentShare(ISlackApi slack, SendMarkers markers)
{
    /// <param name="intro">mrkdwn, already escaped.</param>
    public async Task ToChannel(PublishedDocument p, string channel, string kind, string intro, CancellationToken ct)
    {
        var summary = p.Renderer.Slack(p.Document);
        IReadOnlyList<Block> blocks = [Block.Section(intro), .. summary.Blocks.Take(SlackLimits.BlocksPerMessage - 1)];
        await markers.Once(p.IncidentId, PublicationStore.SendVersion, kind, channel,
            // Keyed and looked for first: an earlier try may have posted it and lost Slack's answer (its marker was then
            // released for the retry).
            async () => await slack.Chat.PostMessage(new OutgoingMessage
            {
                Channel = channel, Text = summary.Text, Blocks = blocks,
                IdempotencyKey = $"postmortem-{p.IncidentId}-{kind}-{channel}", LookFirst = true,
            }, ct), ct);
        await markers.Once(p.IncidentId, PublicationStore.SendVersion, kind + "_file", channel,
            async () => await slack.Files.Upload(p.FileName, p.Markdown(), p.Subject, channel, initialComment: "The full post-mortem (Markdown).", ct: ct), ct);
    }
}
