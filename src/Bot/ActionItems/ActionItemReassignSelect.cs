using Bot.Slack.Blocks;
using Bot.Slack.Handlers;
using Bot.Slack.Interactivity;

namespace Bot.ActionItems;

/// <summary>Reassign: a user picker beside the buttons (its block id carries "id:version").</summary>
public sealed class ActionItemReassignSelect(ItemReplies replies) : IBlockActionHandler
{
    public async Task Handle(BlockAction action, BlockActionsPayload payload, CancellationToken ct)
    {
        if (payload.User?.Id is not { } user || ActionItemBlocks.ParseRef(action.BlockId) is not { } item
            || string.IsNullOrEmpty(action.SelectedUser)) return;
        var to = action.SelectedUser;
        var outcome = await replies.Store.Change(item.Id, item.Version, "reassign:" + to, user, i =>
        {
            if (!i.IsOpen || i.OwnerId == to) return null;
            i.OwnerId = to;
            i.SnoozedUntil = null;
            return i;
        }, ct);
        var zone = await replies.ZoneOf(user, ct);
        await replies.Say(payload, replies.Describe(outcome,
            i => $":arrows_counterclockwise: Reassigned to {Mrkdwn.User(to)}: *{ActionItemBlocks.Text(i)}*. They are reminded from now on.", zone), ct);
    }
}
