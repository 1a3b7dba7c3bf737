using System.Text.RegularExpressions;

namespace Bot.Timeline;

/// <summary>Links in a pinned message become war-room links. Slack writes links in message text as
/// <c>&lt;https://x|label&gt;</c> or <c>&lt;https://x&gt;</c>.</summary>
public static partial class PinnedLinks
{
    [GeneratedRegex(@"<(https?://[^|>\s]+)(?:\|([^>]*))?>")]
    private static partial Regex SlackLink();

    public static IReadOnlyList<(string Url, string? Label)> In(string? text)
    {
        if (string.IsNullOrEmpty(text)) return [];
        return SlackLink().Matches(text)
            .Select(m => (m.Groups[1].Value, m.Groups[2].Success && m.Groups[2].Value.Length > 0 ? m.Groups[2].Value : null))
            .DistinctBy(l => l.Item1)
            .ToList();
    }
}
