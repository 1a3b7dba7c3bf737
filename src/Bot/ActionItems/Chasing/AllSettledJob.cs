using Bot.Database;
using Bot.Postmortems;
using Bot.Postmortems.Meetings;
using Bot.Slack.Blocks;
using Bot.Slack.WebApi;
using Dapper;
using Hangfire;

namespace Bot.ActionItems.Chasing;

/// <summary>Every action item of a post-mortem is done or dropped: the incident channel and the point person are
/// told, each once (enqueued once, by the change that settled the last item; "sent" markers for the retries).</summary>
[AutomaticRetry(Attempts = 5, DelaysInSeconds = [10, 60, 300, 900, 1800])]
public sealed class AllSettledJob(Db db, ActionItemStore store, SendMarkers markers, DirectMessages dms, ISlackApi slack, ILogger<AllSettledJob> logger)
{
    public const string Kind = "actions_settled";
    public const string ChannelRecipient = "channel";

    public async Task Run(long incidentId, CancellationToken ct)
    {
        IReadOnlyList<ActionItem> items;
        await using (var conn = await db.OpenConnectionAsync(ct))
        {
            var ids = (await conn.QueryAsync<long>(new CommandDefinition(
                "select id from action_items where incident_id = @incidentId order by id", new { incidentId }, cancellationToken: ct))).AsList();
            var loaded = new List<ActionItem>();
            foreach (var id in ids)
                if (await store.Get(id, ct) is { } item) loaded.Add(item);
            items = loaded;
        }
        if (items.Count == 0 || items.Any(i => i.IsOpen)) return;
        var first = items[0];
        var done = items.Count(i => i.Status == ItemStatus.Done);
        var dropped = items.Count - done;
        var text = $":tada: Every action item of incident #{first.IncidentNumber} *{Mrkdwn.Escape(first.IncidentTitle)}* is settled: " +
                   $"{done} done{(dropped == 0 ? "" : $", {dropped} dropped with a reason")}. Thank you all. No more reminders for this one.";
        if (first.ChannelId is { } channel)
            await markers.Once(incidentId, 0, Kind, ChannelRecipient, async () =>
            {
                try
                {
                    await slack.Chat.PostMessage(new OutgoingMessage { Channel = channel, Text = text }, ct);
                }
                catch (SlackApiException e) when (e.Error is "is_archived" or "channel_not_found" or "not_in_channel")
                {
                    // The channel is gone or closed: the point person's DM still says it.
                    logger.LogInformation("All-settled notice not posted in {Channel}: {Error}", channel, e.Error);
                }
            }, ct);
        await markers.Once(incidentId, 0, Kind, first.PointPersonId, async () => await dms.Send(first.PointPersonId, text, null, ct), ct);
    }
}
