using System.Text.RegularExpressions;
using Bot.Incidents;

namespace Bot.ActionItems;

/// <summary>What <c>/postmortem action &lt;text&gt; @owner [due &lt;date&gt;] [link &lt;url&gt;]</c> said. Due is still text:
/// it is read in the caller's zone.</summary>
public sealed record ActionRequest(string Text, string? OwnerId, string? Due, string? Link);

/// <summary>Parses the text after <c>/postmortem action</c>. Pure. The clauses are read from the end: a link, a due
/// date, then the owner (the last mention); what is left is the item's text.</summary>
public static partial class ActionCommandParser
{
    public const int MaxText = 1000;

    public static ActionRequest? Parse(string rest, out string? error)
    {
        error = null;
        var text = rest.Trim();
        string? link = null, due = null, owner = null;
        // Any order of the trailing clauses: "fix it @bo due fri", "fix it due fri @bo link <url>".
        for (var pass = 0; pass < 3; pass++)
        {
            var lastSpace = text.LastIndexOfAny([' ', '\t', '\n']);
            var last = lastSpace < 0 ? text : text[(lastSpace + 1)..];
            if (owner is null && last.StartsWith("<@", StringComparison.Ordinal) && last.EndsWith('>'))
            {
                owner = Mentions.ParseUser(last, out var mentionError);
                if (owner is null)
                {
                    error = mentionError;
                    return null;
                }
                text = lastSpace < 0 ? "" : text[..lastSpace].TrimEnd();
            }
            if (link is null && LinkClause().Match(text) is { Success: true } l)
            {
                link = Url(l.Groups["url"].Value);
                if (link is null)
                {
                    error = $"`{l.Groups["url"].Value}` is not a link I can keep: give an http(s) URL.";
                    return null;
                }
                text = text[..l.Index].TrimEnd();
            }
            if (due is null && DueClause().Match(text) is { Success: true } d)
            {
                due = d.Groups["due"].Value;
                text = text[..d.Index].TrimEnd();
            }
        }
        if (text.Length == 0)
        {
            error = "What is the action item? Give its text before the owner.";
            return null;
        }
        if (text.Length > MaxText)
        {
            error = $"That is {text.Length} characters; an action item is at most {MaxText}. Link to the details instead.";
            return null;
        }
        return new ActionRequest(text, owner, due, link);
    }

    /// <summary>Slack sends links in command text as &lt;url&gt; or &lt;url|label&gt;.</summary>
    public static string? Url(string token)
    {
        var t = token.Trim();
        if (t.StartsWith('<') && t.EndsWith('>')) t = t[1..^1].Split('|')[0];
        t = t.Replace("&amp;", "&", StringComparison.Ordinal);
        return Uri.TryCreate(t, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && t.Length <= 1000 ? t : null;
    }

    [GeneratedRegex(@"(?:^|\s+)link\s+(?<url>\S+)$", RegexOptions.IgnoreCase)]
    private static partial Regex LinkClause();

    [GeneratedRegex(@"(?:^|\s+)(?:due\s+(?<due>\S+(?:\s+\S+){0,2})|(?<due>today|tomorrow|in\s+\d{1,3}\s+(?:days?|weeks?)))$", RegexOptions.IgnoreCase)]
    private static partial Regex DueClause();
}
