using System.Text.RegularExpressions;

namespace Bot.Incidents;

/// <summary>Reads a user mention as Slack escapes it in command text (<c>&lt;@U123|name&gt;</c>, with the
/// command's "escape users" option on). Anything else that looks like a mention is refused by name.</summary>
public static partial class Mentions
{
    [GeneratedRegex(@"^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$")]
    private static partial Regex UserMention();

    [GeneratedRegex(@"^<#([CG][A-Z0-9]+)(?:\|([^>]*))?>$")]
    private static partial Regex ChannelMention();

    [GeneratedRegex(@"^<!subteam\^([A-Z0-9]+)(?:\|([^>]*))?>$")]
    private static partial Regex GroupMention();

    [GeneratedRegex(@"^<!([a-z]+)(?:\|([^>]*))?>$")]
    private static partial Regex SpecialMention();

    [GeneratedRegex(@"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")]
    private static partial Regex AnyUserMention();

    [GeneratedRegex(@"<!subteam\^([A-Z0-9]+)(?:\|[^>]*)?>")]
    private static partial Regex AnyGroupMention();

    /// <summary>The user id, or null with the reason (naming what was given) in <paramref name="error"/>.</summary>
    public static string? ParseUser(string token, out string? error)
    {
        error = null;
        var m = UserMention().Match(token);
        if (m.Success) return m.Groups[1].Value;

        if (ChannelMention().Match(token) is { Success: true } c)
            error = $"#{Named(c.Groups[2].Value, c.Groups[1].Value)} is a channel, not a user.";
        else if (GroupMention().Match(token) is { Success: true } g)
            error = $"{Named(g.Groups[2].Value, g.Groups[1].Value)} is a user group, not a user.";
        else if (SpecialMention().Match(token) is { Success: true } s)
            error = $"@{s.Groups[1].Value} is not a user.";
        else
            error = $"{token} is not a user I can read: pick the person from Slack's @-list so the mention links to them.";
        return null;
    }

    private static string Named(string name, string id) => string.IsNullOrEmpty(name) ? id : name;

    public static IEnumerable<string> UserIds(string? text) =>
        text is null ? [] : AnyUserMention().Matches(text).Select(m => m.Groups[1].Value).Distinct();

    public static IEnumerable<string> GroupIds(string? text) =>
        text is null ? [] : AnyGroupMention().Matches(text).Select(m => m.Groups[1].Value).Distinct();

    /// <summary>Replaces user and group mentions with names (plain text: "@Ada Lovelace"), ids left when unknown.</summary>
    public static string ToNames(string text, Func<string, string?> userName, Func<string, string?> groupHandle)
    {
        var withUsers = AnyUserMention().Replace(text, m => "@" + (userName(m.Groups[1].Value) ?? m.Groups[1].Value));
        return AnyGroupMention().Replace(withUsers, m => "@" + (groupHandle(m.Groups[1].Value) ?? m.Groups[1].Value));
    }
}
