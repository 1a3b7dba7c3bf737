using System.Globalization;

namespace Bot.Slack.Blocks;

/// <summary>Slack mrkdwn helpers. User text must go through <see cref="Escape"/>: Slack reads &lt;...&gt; as
/// links and mentions, so an unescaped "&lt;!channel&gt;" in a title would ping the whole channel.</summary>
public static class Mrkdwn
{
    /// <summary>Escapes the three characters Slack asks for (&amp;, &lt;, &gt;); everything else is left as written.</summary>
    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        if (text.AsSpan().IndexOfAny('&', '<', '>') < 0) return text;
        return text.Replace("&", "&amp;", StringComparison.Ordinal)
            .Replace("<", "&lt;", StringComparison.Ordinal)
            .Replace(">", "&gt;", StringComparison.Ordinal);
    }

    /// <summary>&lt;@U123&gt;: shown as the user's name, and notifies them.</summary>
    public static string User(string userId) => $"<@{Id(userId, nameof(userId))}>";

    /// <summary>&lt;#C123&gt;: shown as a link to the channel.</summary>
    public static string Channel(string channelId) => $"<#{Id(channelId, nameof(channelId))}>";

    /// <summary>&lt;!subteam^S123&gt;: a user group mention.</summary>
    public static string UserGroup(string groupId) => $"<!subteam^{Id(groupId, nameof(groupId))}>";

    /// <summary>&lt;url|label&gt; with the label escaped; the URL must be absolute http(s) or mailto,
    /// and may not contain "|" or "&gt;", which would end the link early.</summary>
    public static string Link(string url, string? label = null)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https" or "mailto"))
            throw new ArgumentException("A link needs an absolute http(s) or mailto URL.", nameof(url));
        var safeUrl = url.Replace("&", "&amp;", StringComparison.Ordinal)
            .Replace("<", "%3C", StringComparison.Ordinal)
            .Replace(">", "%3E", StringComparison.Ordinal)
            .Replace("|", "%7C", StringComparison.Ordinal);
        return string.IsNullOrEmpty(label) ? $"<{safeUrl}>" : $"<{safeUrl}|{Escape(label).Replace("|", "¦", StringComparison.Ordinal)}>";
    }

    /// <summary>&lt;!date^epoch^format|fallback&gt;: Slack shows the time in each reader's own time zone.
    /// format uses Slack's tokens, e.g. "{date_short_pretty} {time}"; the fallback (UTC) is for clients that cannot.</summary>
    public static string Date(DateTimeOffset when, string format = "{date_short_pretty} {time}", string? link = null)
    {
        var epoch = when.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var fallback = Escape(when.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture));
        var linkPart = link is null ? "" : "^" + link;
        return $"<!date^{epoch}^{format}{linkPart}|{fallback}>";
    }

    /// <summary>Bold text with the content escaped.</summary>
    public static string Bold(string text) => $"*{Escape(text)}*";

    private static string Id(string id, string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id, name);
        foreach (var c in id)
            if (!char.IsAsciiLetterOrDigit(c))
                throw new ArgumentException($"'{id}' is not a Slack id.", name);
        return id;
    }
}
