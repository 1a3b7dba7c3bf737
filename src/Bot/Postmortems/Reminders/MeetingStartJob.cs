using Bot.Documents;
using Bot.Operations;
using Bot.Postmortems.Meetings;
using Bot.Slack.Blocks;
using Bot.Slack.WebApi;
using Hangfire;

namespace Bot.Postmortems.Reminders;

/// <summary>At the start time: a post in the incident channel with the agenda (the document's sections), the
/// moderator and the notetaker. Dropped when stale or when the meeting is already over.</summary>
[AutomaticRetry(Attempts = 3, DelaysInSeconds = [2, 10, 30])]
public sealed class MeetingStartJob(MeetingContextLoader loader, DocumentBuilder documents, SendMarkers markers, ISlackApi slack, TimeProvider time,
    BotMetrics metrics)
{
    public async Task Run(long incidentId, int version, CancellationToken ct)
    {
        if (await loader.Load(incidentId, version, ct) is not { Meeting.IsScheduled: true } ctx || ctx.Incident.ChannelId is null) return;
        if (ctx.Meeting.End <= time.GetUtcNow()) return;
        metrics.ReminderLate("meeting_start", time.GetUtcNow() - ctx.Meeting.Start!.Value);
        if (await documents.Build(incidentId, "Etc/UTC", ct) is not { } document) return;
        var agenda = string.Join("\n", document.Sections.Select((s, i) =>
            $"{i + 1}. {Mrkdwn.Escape(s.Title)}{(s.IsEmpty ? " _(empty)_" : s.Edit is not null ? " (written)" : $" ({s.Items.Count})")}"));
        var text = $":mega: The post-mortem of incident #{ctx.Incident.Number} *{Mrkdwn.Escape(ctx.Incident.Title)}* starts now.";
        var blocks = new List<Block>
        {
            Block.Section(text),
            Block.Section(ctx.Roles),
            Block.Section($"*Agenda*\n{agenda}"),
            Block.Context("Blameless: what happened, why the system allowed it, what we change."),
        };
        var channel = ctx.Incident.ChannelId;
        await markers.Once(incidentId, version, "start", channel,
            async () => await slack.Chat.PostMessage(new OutgoingMessage { Channel = channel, Text = text, Blocks = blocks }, ct), ct);
    }
}
