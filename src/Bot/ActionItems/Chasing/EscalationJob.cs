using Bot.People;
using Bot.Postmortems;
using Bot.Postmortems.Meetings;
using Bot.Postmortems.Scheduling;
using Bot.Slack.Blocks;
using Hangfire;
using Microsoft.Extensions.Options;

namespace Bot.ActionItems.Chasing;

/// <summary>Tells the point person about an overdue item whose owner has been chased EscalateAfter times, with the
/// same buttons (the point person may reassign or drop it). Once per item (a "sent" marker).</summary>
[AutomaticRetry(Attempts = 5, DelaysInSeconds = [10, 60, 300, 900, 1800])]
public sealed class EscalationJob(ActionItemStore store, SendMarkers markers, DirectMessages dms, UserDirectory people,
    IOptions<ActionItemOptions> options, TimeProvider time)
{
    public const string Kind = "action_escalation";

    public async Task Run(long itemId, CancellationToken ct)
    {
        if (await store.Get(itemId, ct) is not { IsOpen: true, OwnerId: { } owner } item || item.PointPersonId == owner) return;
        var to = item.PointPersonId;
        var zone = TimeZones.Find((await people.People([to], ct)).GetValueOrDefault(to)?.Tz);
        var now = time.GetUtcNow();
        var text = $":rotating_light: An action item of incident #{item.IncidentNumber} *{Mrkdwn.Escape(item.IncidentTitle)}* is overdue: " +
                   $"{Mrkdwn.User(owner)} has been reminded {item.ChaseCount} times. You are the point person, so you can reassign or drop it.";
        List<Block> blocks =
        [
            Block.Section(text),
            Block.Section(ActionItemBlocks.Line(item, now, zone, withIncident: true)),
            ActionItemBlocks.ChaseActions(item, options.Value.GitHub.Enabled),
        ];
        await markers.Once(item.IncidentId, 0, $"{Kind}:{itemId}", to, async () => await dms.Send(to, text, blocks, ct), ct);
    }
}
