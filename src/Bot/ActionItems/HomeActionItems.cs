using Bot.Slack.Blocks;

namespace Bot.ActionItems;

/// <summary>"Your open action items" for the Home tab, each with Done and Snooze buttons. A click in a view has no
/// response_url: the buttons' handlers answer through the Home tab itself (ItemReplies.Say), and the change
/// republishes the owner's Home (ActionItemStore.Change).</summary>
public sealed class HomeActionItems(ActionItemStore store, TimeProvider time)
{
    /// <summary>Two blocks each (the line and its buttons): 10 take 20 of the view's 100.</summary>
    public const int MaxListed = 10;

    public async Task<IReadOnlyList<Block>> Blocks(string userId, TimeZoneInfo zone, CancellationToken ct)
    {
        var items = await store.OpenFor(userId, ct);
        if (items.Count == 0) return [];
        var now = time.GetUtcNow();
        var blocks = new List<Block> { Block.Header($"Your open action items ({items.Count})") };
        foreach (var item in items.Take(MaxListed))
        {
            blocks.Add(Block.Section(ActionItemBlocks.Line(item, now, zone, withIncident: true)));
            blocks.Add(ActionItemBlocks.HomeActions(item));
        }
        blocks.Add(Block.Context(items.Count > MaxListed
            ? $"…and {items.Count - MaxListed} more, the soonest due shown first. `/postmortem actions mine` lists them all, with every button."
            : "`/postmortem actions mine` lists them with Won't do, Reassign and Edit too."));
        return blocks;
    }
}
