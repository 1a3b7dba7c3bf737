namespace Bot.Slack.Blocks;

/// <summary>Keeps block lists within Slack's counts, visibly: the last block that fits becomes a context
/// block saying how many were left out, so a reader knows the message is incomplete.</summary>
public static class BlockLimits
{
    /// <summary>At most 50 blocks (a message); the client applies this to every message it sends.</summary>
    public static IReadOnlyList<Block> ForMessage(IReadOnlyList<Block> blocks) => Cap(blocks, SlackLimits.BlocksPerMessage);

    public static IReadOnlyList<Block> Cap(IReadOnlyList<Block> blocks, int max)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        if (blocks.Count <= max) return blocks;
        var kept = blocks.Take(max - 1).ToList();
        kept.Add(new ContextBlock([new MarkdownText(More(blocks.Count - kept.Count))]));
        return kept;
    }

    /// <summary>Cuts each text to maxText and the list to maxCount, the last kept one saying how many more.</summary>
    public static IReadOnlyList<TextObject> CapTexts(IReadOnlyList<TextObject> texts, int maxCount, int maxText)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var cut = texts.Select(t => t.Truncate(maxText));
        if (texts.Count <= maxCount) return cut.ToList();
        var kept = cut.Take(maxCount - 1).ToList();
        kept.Add(new MarkdownText(More(texts.Count - kept.Count)));
        return kept;
    }

    private static string More(int n) => $"{SlackLimits.Ellipsis} {n} more not shown";
}
