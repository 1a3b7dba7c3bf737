using Bot.Slack.Blocks;
using Hangfire;

namespace Bot.Postmortems.Meetings;

/// <summary>Tells someone named moderator or notetaker of a meeting already set (the invite they had, if any, named
/// someone else). Once per meeting version, role and person; dropped when the role moved on again before it ran.</summary>
[AutomaticRetry(Attempts = 3, DelaysInSeconds = [5, 30, 120])]
public sealed class MeetingRoleJob(MeetingContextLoader loader, SendMarkers markers, DirectMessages dms, TimeProvider time)
{
    public async Task Run(long incidentId, int version, bool moderator, string userId, CancellationToken ct)
    {
        if (await loader.Load(incidentId, version, ct) is not { Meeting.IsScheduled: true } ctx || ctx.Meeting.Start <= time.GetUtcNow()) return;
        if ((moderator ? ctx.Meeting.ModeratorId : ctx.Meeting.NotetakerId) != userId) return;
        var role = moderator ? "moderator" : "notetaker";
        var text = $":bust_in_silhouette: You're the {role} of the post-mortem of incident #{ctx.Incident.Number} " +
                   $"*{Mrkdwn.Escape(ctx.Incident.Title)}*: *{ctx.TimeFor(userId)}*, {ctx.Meeting.DurationMinutes} min, in {ctx.ChannelLink}.";
        var duty = moderator
            ? "As moderator you keep it short and blameless: walk the agenda, steer from who to how the system allowed it."
            : "As notetaker you write down what is decided, and every action item with an owner and a due date.";
        await markers.Once(incidentId, version, role, userId,
            async () => await dms.Send(userId, text, [Block.Section(text), Block.Context(duty, ctx.Roles)], ct), ct);
    }
}
