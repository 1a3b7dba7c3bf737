using Bot.Slack.Interactivity;

namespace Bot.ActionItems;

/// <summary>Before a modal opens on an item: the item exists, the clicker may change it, and the message is current.
/// The same checks run again on submission (Change), since the item can change while the modal is open.</summary>
public static class ItemModalGuard
{
    /// <summary>The item, or null after telling the clicker why not.</summary>
    public static async Task<ActionItem?> Check(ItemReplies replies, BlockActionsPayload payload, string user, (long Id, int Version) reference,
        string action, CancellationToken ct)
    {
        var item = await replies.Store.Get(reference.Id, ct);
        var zone = await replies.ZoneOf(user, ct);
        var refused = item is null ? new ChangeOutcome.NotFound() : replies.Store.Refusal(item, reference.Version, action, user);
        if (refused is null) return item;
        await replies.Say(payload, replies.Describe(refused, _ => "", zone), ct);
        return null;
    }

    public static BlockAction? Value(ViewSubmissionPayload payload, string block) =>
        payload.View.State?.Values is { } values && values.TryGetValue(block, out var a) && a.TryGetValue(block, out var v) ? v : null;
}
