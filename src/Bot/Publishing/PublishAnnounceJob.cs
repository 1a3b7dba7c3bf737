using Bot.Postmortems.Meetings;
using Bot.Slack.Blocks;
using Bot.Slack.WebApi;
using Hangfire;

namespace Bot.Publishing;

/// <summary>Step 1: the summary and the Markdown document in the announcement channel (the one set when it was
/// published). Slack refuses a channel the bot is not in (not_in_channel; channel_not_found for a private one): the
/// incident channel is told once how to fix it, and the job fails so that Hangfire's retries post once the bot is in.</summary>
[AutomaticRetry(Attempts = 3, DelaysInSeconds = [5, 30, 120])]
public sealed class PublishAnnounceJob(PublishedDocuments documents, DocumentShare share, SendMarkers markers, ISlackApi slack)
{
    public const string Kind = "publish_announce";
    private static readonly HashSet<string> NotThere = ["not_in_channel", "channel_not_found", "is_archived"];

    public async Task Run(long incidentId, CancellationToken ct)
    {
        if (await documents.Load(incidentId, ct) is not { Publication.AnnounceChannel: { } channel } p) return;
        var d = p.Document;
        var intro = $":mega: *Post-mortem published:* incident #{d.Number} *{Mrkdwn.Escape(d.Title)}*" +
                    $"{(d.Severity is null ? "" : $" ({Mrkdwn.Escape(d.Severity)})")}, by {Mrkdwn.User(p.Publication.PublishedBy)}." +
                    (d.ChannelId is null ? "" : $" Incident channel: {Mrkdwn.Channel(d.ChannelId)}.") + p.OverriddenNote;
        try
        {
            await share.ToChannel(p, channel, Kind, intro, ct);
        }
        catch (SlackApiException e) when (NotThere.Contains(e.Error) && d.ChannelId is { } incidentChannel)
        {
            var text = $":warning: I could not post the post-mortem in {Mrkdwn.Channel(channel)} (Slack: `{e.Error}`). " +
                       "Invite me there (`/invite` me in that channel), and I will post it on one of my next tries in the coming minutes.";
            await markers.Once(incidentId, PublicationStore.SendVersion, Kind + "_refused", incidentChannel,
                async () => await slack.Chat.PostMessage(new OutgoingMessage { Channel = incidentChannel, Text = text }, ct), ct);
            throw;
        }
    }
}
