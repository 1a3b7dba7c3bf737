using System.Text.RegularExpressions;

namespace Bot.Incidents;

/// <summary>Slack sends command text in its own format: &amp;, &lt;, &gt; as entities, and mentions and
/// links as &lt;...&gt; sequences. Titles, role names and link labels are plain text to us: the
/// sequences become what the user saw, and the entities are decoded (output escapes again).</summary>
public static partial class CommandText
{
    [GeneratedRegex(@"<([^<>]*)>")]
    private static partial Regex Sequence();

    public static string ToPlain(string slackText)
    {
        var readable = Sequence().Replace(slackText, m => Readable(m.Groups[1].Value));
        return readable.Replace("&lt;", "<", StringComparison.Ordinal)
            .Replace("&gt;", ">", StringComparison.Ordinal)
            .Replace("&amp;", "&", StringComparison.Ordinal);
    }

    private static string Readable(string inner)
    {
        var bar = inner.IndexOf('|');
        var target = bar < 0 ? inner : inner[..bar];
        var label = bar < 0 ? null : inner[(bar + 1)..];
        if (target.StartsWith('@')) return label is null ? target : "@" + label.TrimStart('@');
        if (target.StartsWith('#')) return "#" + (label ?? target[1..]);
        if (target.StartsWith("!subteam^", StringComparison.Ordinal)) return label ?? "@" + target["!subteam^".Length..];
        if (target.StartsWith('!')) return label ?? "@" + target[1..].Split('^')[0];
        return label ?? target;
    }
}
