using Bot.Postmortems.Scheduling;
using Bot.Slack.Blocks;
using Hangfire;

namespace Bot.Postmortems.Meetings;

/// <summary>Tells attendees about one version of the meeting: scheduled or moved (a DM with their local time and
/// the roles, plus the .ics) or cancelled (a DM plus an .ics with METHOD:CANCEL to everyone who had an invite).
/// A later version makes this one stale: it sends nothing.</summary>
[AutomaticRetry(Attempts = 3, DelaysInSeconds = [5, 30, 120])]
public sealed class MeetingNoticeJob(MeetingContextLoader loader, SendMarkers markers, DirectMessages dms, TimeProvider time)
{
    public async Task Run(long incidentId, int version, CancellationToken ct)
    {
        if (await loader.Load(incidentId, version, ct) is not { } ctx) return;
        var m = ctx.Meeting;
        if (m.CancelledAt is not null)
        {
            foreach (var user in await markers.InvitedEver(incidentId, ct))
                await Cancel(ctx, user, ct);
            return;
        }
        if (m.Start is not { } start || start <= time.GetUtcNow()) return;
        var invited = ctx.Invited.ToList();
        foreach (var user in invited)
            await Invite(ctx, user, ct);
        // Uninvited after they had an invite: their calendar entry is removed.
        foreach (var user in (await markers.InvitedEver(incidentId, ct)).Except(invited))
            await Cancel(ctx, user, ct);
    }

    private async Task Invite(MeetingContext ctx, string user, CancellationToken ct)
    {
        var m = ctx.Meeting;
        var moved = m.Version > 1;
        var text = $":calendar: {(moved ? "Moved: the" : "You're invited to the")} post-mortem of incident #{ctx.Incident.Number} " +
                   $"*{Mrkdwn.Escape(ctx.Incident.Title)}*: *{ctx.TimeFor(user)}*, {m.DurationMinutes} min, in {ctx.ChannelLink}.";
        var blocks = new List<Block>
        {
            Block.Section(text),
            Block.Context(ctx.Roles, "Short and blameless: what happened, why the system allowed it, what we change. The calendar file is below."),
        };
        await markers.Once(ctx.Incident.Id, m.Version, MeetingScheduler.KindInvite, user,
            async () => await dms.Send(user, text, blocks, ct), ct);
        await markers.Once(ctx.Incident.Id, m.Version, MeetingScheduler.KindInvite + "_ics", user,
            () => dms.Upload(user, $"postmortem-{ctx.Incident.Number}.ics", Ics(ctx, cancelled: false), "Post-mortem meeting (calendar)", ct), ct);
    }

    private async Task Cancel(MeetingContext ctx, string user, CancellationToken ct)
    {
        var m = ctx.Meeting;
        var text = m.CancelledAt is null
            ? $":wave: You are no longer invited to the post-mortem of incident #{ctx.Incident.Number} *{Mrkdwn.Escape(ctx.Incident.Title)}*. " +
              "The calendar file below removes it from your calendar."
            : $":x: The post-mortem meeting of incident #{ctx.Incident.Number} *{Mrkdwn.Escape(ctx.Incident.Title)}* is cancelled. " +
              "The calendar file below removes it from your calendar.";
        await markers.Once(ctx.Incident.Id, m.Version, MeetingScheduler.KindCancel, user,
            async () => await dms.Send(user, text, null, ct), ct);
        if (m.Start is not null)
            await markers.Once(ctx.Incident.Id, m.Version, MeetingScheduler.KindCancel + "_ics", user,
                () => dms.Upload(user, $"postmortem-{ctx.Incident.Number}-cancelled.ics", Ics(ctx, cancelled: true), "Post-mortem meeting cancelled", ct), ct);
    }

    private byte[] Ics(MeetingContext ctx, bool cancelled) => IcsInvite.Build(new IcsInvite.Details(
        ctx.Meeting.Uid, ctx.Meeting.Version, ctx.Meeting.Start!.Value, ctx.Meeting.DurationMinutes ?? 45,
        $"Post-mortem: #{ctx.Incident.Number} {ctx.Incident.Title}",
        $"Blameless post-mortem of incident #{ctx.Incident.Number} in Slack #{ctx.Incident.DisplayChannelName}. " +
        $"Moderator: {ctx.Name(ctx.Meeting.ModeratorId)}. Notetaker: {ctx.Name(ctx.Meeting.NotetakerId)}. " +
        $"Attendees: {string.Join(", ", ctx.Invited.Select(ctx.Name))}.",
        $"Slack #{ctx.Incident.DisplayChannelName}", [], cancelled, time.GetUtcNow()));
}
