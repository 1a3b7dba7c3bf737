using Bot.Slack.Blocks;
using Hangfire;

namespace Bot.Publishing;

/// <summary>Step 1: the summary and the Markdown document in the announcement channel (the one set when it was
/// published). Slack refuses a channel the bot is not in (not_in_channel): the job fails and is retried, and the
/// incident channel's message says where it was meant to go.</summary>
[AutomaticRetry(Attempts = 3, DelaysInSeconds = [5, 30, 120])]
public sealed class PublishAnnounceJob(PublishedDocuments documents, DocumentShare share)
{
    public const string Kind = "publish_announce";

    public async Task Run(long incidentId, CancellationToken ct)
    {
        if (await documents.Load(incidentId, ct) is not { Publication.AnnounceChannel: { } channel } p) return;
        var d = p.Document;
        var intro = $":mega: *Post-mortem published:* incident #{d.Number} *{Mrkdwn.Escape(d.Title)}*" +
                    $"{(d.Severity is null ? "" : $" ({Mrkdwn.Escape(d.Severity)})")}, by {Mrkdwn.User(p.Publication.PublishedBy)}." +
                    (d.ChannelId is null ? "" : $" Incident channel: {Mrkdwn.Channel(d.ChannelId)}.") + p.OverriddenNote;
        await share.ToChannel(p, channel, Kind, intro, ct);
    }
}
