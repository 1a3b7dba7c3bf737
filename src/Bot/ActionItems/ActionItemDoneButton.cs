using Bot.Slack.Handlers;
using Bot.Slack.Interactivity;

namespace Bot.ActionItems;

/// <summary>Done, in a chase DM or a list.</summary>
public sealed class ActionItemDoneButton(ItemReplies replies) : IBlockActionHandler
{
    public async Task Handle(BlockAction action, BlockActionsPayload payload, CancellationToken ct)
    {
        if (payload.User?.Id is not { } user || ActionItemBlocks.ParseRef(action.Value) is not { } item) return;
        var outcome = await replies.Store.Change(item.Id, item.Version, "done", user, i =>
        {
            if (!i.IsOpen) return null;
            i.Status = ItemStatus.Done;
            i.SnoozedUntil = null;
            return i;
        }, ct);
        var zone = await replies.ZoneOf(user, ct);
        await replies.Say(payload, replies.Describe(outcome, i => $":white_check_mark: Marked done: *{ActionItemBlocks.Text(i)}*. Thank you!", zone), ct);
    }
}
