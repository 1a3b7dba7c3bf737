using System.Text;
using System.Text.RegularExpressions;
using Bot.Incidents;

namespace Bot.Documents;

/// <summary>Slack's stored message markup as the document's plain text: user and group mentions as names (the same
/// <see cref="Mentions.ToNames"/> the timeline uses), channel links as #name, broadcasts and dates as their words,
/// links as "label (url)", and Slack's three entities decoded. The result is NOT escaped: each template escapes for
/// its own format.</summary>
public static partial class DocumentText
{
    [GeneratedRegex(@"<#([CG][A-Z0-9]+)(?:\|([^>]*))?>")]
    private static partial Regex ChannelLink();

    [GeneratedRegex(@"<!(channel|here|everyone)(?:\|[^>]*)?>")]
    private static partial Regex Broadcast();

    // <!date^1392734382^{date} at {time}|Feb 18, 2014 at 6:39 AM PST>: the fallback is the readable part.
    [GeneratedRegex(@"<!date\^[^|>]*\|([^>]*)>")]
    private static partial Regex Date();

    [GeneratedRegex(@"<((?:https?|mailto|tel):[^|>]+)\|([^>]*)>")]
    private static partial Regex LabelledLink();

    [GeneratedRegex(@"<((?:https?|mailto|tel):[^|>]+)>")]
    private static partial Regex BareLink();

    public static IEnumerable<string> ChannelIds(string? text) =>
        text is null ? [] : ChannelLink().Matches(text).Select(m => m.Groups[1].Value).Distinct();

    public static string Plain(string? text, Func<string, string?> userName, Func<string, string?> groupHandle, Func<string, string?> channelName)
    {
        if (string.IsNullOrEmpty(text)) return "";
        if (text.IndexOf('<') < 0 && text.IndexOf('&') < 0) return text;
        var s = Mentions.ToNames(text, userName, groupHandle);
        s = ChannelLink().Replace(s, m => "#" + (m.Groups[2].Success && m.Groups[2].Length > 0 ? m.Groups[2].Value : channelName(m.Groups[1].Value) ?? m.Groups[1].Value));
        s = Broadcast().Replace(s, m => "@" + m.Groups[1].Value);
        s = Date().Replace(s, m => m.Groups[1].Value);
        s = LabelledLink().Replace(s, m => m.Groups[2].Value == m.Groups[1].Value ? m.Groups[1].Value : $"{m.Groups[2].Value} ({m.Groups[1].Value})");
        s = BareLink().Replace(s, m => m.Groups[1].Value);
        return Decode(s);
    }

    /// <summary>Only the entities Slack writes (&amp;amp; &amp;lt; &amp;gt;), &amp;amp; last, so "&amp;amp;lt;" stays
    /// the "&amp;lt;" the person typed.</summary>
    public static string Decode(string text)
    {
        if (text.IndexOf('&') < 0) return text;
        var sb = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '&')
            {
                var rest = text.AsSpan(i);
                if (rest.StartsWith("&lt;")) { sb.Append('<'); i += 3; continue; }
                if (rest.StartsWith("&gt;")) { sb.Append('>'); i += 3; continue; }
                if (rest.StartsWith("&amp;")) { sb.Append('&'); i += 4; continue; }
            }
            sb.Append(text[i]);
        }
        return sb.ToString();
    }
}
