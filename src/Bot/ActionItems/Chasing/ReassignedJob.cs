using Bot.People;
using Bot.Postmortems;
using Bot.Postmortems.Meetings;
using Bot.Postmortems.Scheduling;
using Bot.Slack.Blocks;
using Hangfire;
using Microsoft.Extensions.Options;

namespace Bot.ActionItems.Chasing;

/// <summary>Tells an item's new owner at once (else they would first hear at their next chase). Enqueued by the
/// change that reassigned it; once per item version (a "sent" marker). Reassigned again before it ran, the item
/// is no longer theirs and nothing is sent (the newer owner has their own).</summary>
[AutomaticRetry(Attempts = 5, DelaysInSeconds = [10, 60, 300, 900, 1800])]
public sealed class ReassignedJob(ActionItemStore store, SendMarkers markers, DirectMessages dms, UserDirectory people,
    IOptions<ActionItemOptions> options, TimeProvider time)
{
    public const string Kind = "action_reassigned";

    public async Task Run(long itemId, int version, string ownerId, string by, CancellationToken ct)
    {
        if (await store.Get(itemId, ct) is not { IsOpen: true } item || item.OwnerId != ownerId) return;
        var zone = TimeZones.Find((await people.People([ownerId], ct)).GetValueOrDefault(ownerId)?.Tz);
        var text = $":arrows_counterclockwise: {Mrkdwn.User(by)} made you the owner of an action item of incident #{item.IncidentNumber} " +
                   $"*{Mrkdwn.Escape(item.IncidentTitle)}*. You will be reminded as it comes due.";
        List<Block> blocks =
        [
            Block.Section(text),
            Block.Section(ActionItemBlocks.Line(item, time.GetUtcNow(), zone, withIncident: true)),
            ActionItemBlocks.ChaseActions(item, options.Value.GitHub.Enabled),
        ];
        await markers.Once(item.IncidentId, version, $"{Kind}:{itemId}", ownerId, async () => await dms.Send(ownerId, text, blocks, ct), ct);
    }
}
