using Bot.People;
using Bot.Postmortems.Scheduling;
using Bot.Slack.Blocks;

namespace Bot.ActionItems;

/// <summary>"Your open action items" for the Home tab: a few lines, no buttons (a click in a view has no response_url
/// to answer on; the chase DM and <c>/postmortem actions mine</c> have them).</summary>
public sealed class HomeActionItems(ActionItemStore store, UserDirectory people, TimeProvider time)
{
    private const int MaxListed = 10;

    public async Task<IReadOnlyList<Block>> Blocks(string userId, CancellationToken ct)
    {
        var items = await store.OpenFor(userId, ct);
        if (items.Count == 0) return [];
        var zone = TimeZones.Find((await people.People([userId], ct)).GetValueOrDefault(userId)?.Tz);
        var now = time.GetUtcNow();
        var blocks = new List<Block> { Block.Divider(), Block.Header($"Your open action items ({items.Count})") };
        blocks.AddRange(items.Take(MaxListed).Select(i => Block.Section(ActionItemBlocks.Line(i, now, zone, withIncident: true))));
        blocks.Add(Block.Context(items.Count > MaxListed
            ? $"…and {items.Count - MaxListed} more. `{ActionItemCommands.ListUsage}` with `mine` lists them all, with buttons."
            : "`/postmortem actions mine` lists them with Done, Snooze and Edit buttons."));
        return blocks;
    }
}
