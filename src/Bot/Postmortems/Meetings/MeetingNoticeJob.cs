using Bot.Postmortems.Scheduling;
using Bot.Slack.Blocks;
using Hangfire;

namespace Bot.Postmortems.Meetings;

/// <summary>Tells attendees about one version of the meeting: scheduled or moved (a DM with their local time and
/// the roles, plus the .ics) or cancelled (a DM plus an .ics with METHOD:CANCEL to everyone who holds an invite).
/// Each person is told what changed for them, from what they were last told (<see cref="SendMarkers.LastTold"/>):
/// someone who holds no invite is invited (never "moved"), someone uninvited is told once and never again until
/// invited again. A later version makes this one stale: it sends nothing.</summary>
[AutomaticRetry(Attempts = 3, DelaysInSeconds = [5, 30, 120])]
public sealed class MeetingNoticeJob(MeetingContextLoader loader, SendMarkers markers, DirectMessages dms, TimeProvider time)
{
    public async Task Run(long incidentId, int version, CancellationToken ct)
    {
        if (await loader.Load(incidentId, version, ct) is not { } ctx) return;
        var m = ctx.Meeting;
        if (m.Start is not { } start) return;
        var told = await markers.LastTold(incidentId, ct);
        if (m.CancelledAt is not null)
        {
            foreach (var (user, last) in told)
                await Uninvite(ctx, user, last, ct);
            return;
        }
        if (start <= time.GetUtcNow()) return;
        var invited = ctx.Invited.ToList();
        foreach (var user in invited)
            await Invite(ctx, user, told.GetValueOrDefault(user), ct);
        foreach (var (user, last) in told.Where(t => !invited.Contains(t.Key)))
            await Uninvite(ctx, user, last, ct);
    }

    /// <summary>An invite to this meeting that the person still holds: one for its current run (since it was last set
    /// afresh), not followed by a cancellation.</summary>
    private static bool Holds(Meeting m, SendMarkers.Told? last) =>
        last is { Kind: MeetingScheduler.KindInvite } && last.Version >= (m.ScheduledVersion ?? 0);

    private async Task Invite(MeetingContext ctx, string user, SendMarkers.Told? last, CancellationToken ct)
    {
        var m = ctx.Meeting;
        var id = ctx.Incident.Id;
        if (last is { Kind: MeetingScheduler.KindInvite } && last.Version == m.Version)
        {
            // The DM went out; a retry still owes the calendar file.
            await Ics(ctx, user, last.Round, ct);
            return;
        }
        var round = (last?.Round ?? 0) + 1;
        var moved = Holds(m, last);
        var text = $":calendar: {(moved ? "Moved: the" : "You're invited to the")} post-mortem of incident #{ctx.Incident.Number} " +
                   $"*{Mrkdwn.Escape(ctx.Incident.Title)}*: *{ctx.TimeFor(user)}*, {m.DurationMinutes} min, in {ctx.ChannelLink}.";
        var blocks = new List<Block>
        {
            Block.Section(text),
            Block.Context(ctx.Roles, "Short and blameless: what happened, why the system allowed it, what we change. The calendar file is below."),
        };
        if (await markers.Once(id, m.Version, MeetingScheduler.KindInvite, user, async () => await dms.Send(user, text, blocks, ct), ct, round))
            await Ics(ctx, user, round, ct);
    }

    private Task Ics(MeetingContext ctx, string user, int round, CancellationToken ct) =>
        markers.Once(ctx.Incident.Id, ctx.Meeting.Version, MeetingScheduler.KindInvite + "_ics", user,
            () => dms.Upload(user, $"postmortem-{ctx.Incident.Number}.ics", Ics(ctx, cancelled: false), "Post-mortem meeting (calendar)", ct), ct, round);

    /// <summary>The meeting is cancelled, or the person is no longer invited: told once, when they hold an invite.</summary>
    private async Task Uninvite(MeetingContext ctx, string user, SendMarkers.Told last, CancellationToken ct)
    {
        var m = ctx.Meeting;
        int round;
        if (last is { Kind: MeetingScheduler.KindCancel } && last.Version == m.Version) round = last.Round; // a retry owes the file
        else if (Holds(m, last)) round = last.Round + 1;
        else return;
        var text = m.CancelledAt is null
            ? $":wave: You are no longer invited to the post-mortem of incident #{ctx.Incident.Number} *{Mrkdwn.Escape(ctx.Incident.Title)}*. " +
              "The calendar file below removes it from your calendar."
            : $":x: The post-mortem meeting of incident #{ctx.Incident.Number} *{Mrkdwn.Escape(ctx.Incident.Title)}* is cancelled. " +
              "The calendar file below removes it from your calendar.";
        await markers.Once(ctx.Incident.Id, m.Version, MeetingScheduler.KindCancel, user,
            async () => await dms.Send(user, text, null, ct), ct, round);
        await markers.Once(ctx.Incident.Id, m.Version, MeetingScheduler.KindCancel + "_ics", user,
            () => dms.Upload(user, $"postmortem-{ctx.Incident.Number}-cancelled.ics", Ics(ctx, cancelled: true), "Post-mortem meeting cancelled", ct), ct, round);
    }

    private byte[] Ics(MeetingContext ctx, bool cancelled) => IcsInvite.Build(new IcsInvite.Details(
        ctx.Meeting.Uid, ctx.Meeting.Version, ctx.Meeting.Start!.Value, ctx.Meeting.DurationMinutes ?? 45,
        $"Post-mortem: #{ctx.Incident.Number} {ctx.Incident.Title}",
        $"Blameless post-mortem of incident #{ctx.Incident.Number} in Slack #{ctx.Incident.DisplayChannelName}. " +
        $"Moderator: {ctx.Name(ctx.Meeting.ModeratorId)}. Notetaker: {ctx.Name(ctx.Meeting.NotetakerId)}. " +
        $"Attendees: {string.Join(", ", ctx.Invited.Select(ctx.Name))}.",
        $"Slack #{ctx.Incident.DisplayChannelName}", [], cancelled, time.GetUtcNow()));
}
