using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Bot.Incidents;
using Bot.Slack.Blocks;

namespace Bot.Timeline;

/// <summary>Renders timeline entries as Slack mrkdwn lines. Pure: names come in as lookups.
/// Stored message text is Slack's own (already escaped, mentions as ids); mentions become names, and
/// channel-wide pings are defused so showing the timeline never notifies anyone.</summary>
public static partial class TimelineText
{
    [GeneratedRegex(@"<!(channel|here|everyone)(?:\|[^>]*)?>")]
    private static partial Regex Broadcast();

    public static string Line(TimelineRow row, Func<string, string?> userName, Func<string, string?> groupHandle)
    {
        var time = row.OccurredAt.ToString("HH:mm", CultureInfo.InvariantCulture);
        var who = Who(row.UserId, userName);
        var body = row.Kind switch
        {
            EntryKinds.Message => MessageLine(row, who, userName, groupHandle),
            EntryKinds.Opened => $":rotating_light: Incident opened by {who}: {Mrkdwn.Escape(row.Text)}",
            EntryKinds.Status => $":traffic_light: Status → *{Data(row, "to")}* (was {Data(row, "from") ?? "not set"}), by {who}" +
                                 (string.IsNullOrWhiteSpace(row.Text) ? "" : ": " + SlackText(row.Text, userName, groupHandle)),
            EntryKinds.Severity => $":rotating_light: Severity → *{Data(row, "to")}* (was {Data(row, "from") ?? "not set"}), by {who}",
            EntryKinds.Commander => $":firefighter: Commander → {Who(Data(row, "to"), userName)}, by {who}",
            EntryKinds.Role => $":bust_in_silhouette: {Mrkdwn.Escape(Data(row, "role"))} → {Who(Data(row, "to"), userName)}, by {who}",
            EntryKinds.Note => $":pencil: Note by {who}: {SlackText(row.Text, userName, groupHandle)}",
            EntryKinds.Link => $":link: Link {LinkText(Data(row, "url"), row.Text)}, by {who}",
            EntryKinds.Published => $":mega: {Mrkdwn.Escape(row.Text)}, by {who}",
            EntryKinds.Joined => $":wave: {who} joined",
            EntryKinds.Left => $":door: {who} left",
            EntryKinds.Detail => $":speech_balloon: From <#{row.SourceChannelId}>, {who}: {SlackText(row.Text, userName, groupHandle)}" +
                                 (row.Permalink is null ? "" : " " + LinkText(row.Permalink, "(link)")),
            _ => $"{Mrkdwn.Escape(row.Kind)}: {Mrkdwn.Escape(row.Text)}",
        };
        return $"`{time}` {body}";
    }

    private static string MessageLine(TimelineRow row, string who, Func<string, string?> userName, Func<string, string?> groupHandle)
    {
        var parts = new List<string> { (row.ThreadTs is null ? "" : "↳ ") + $"{who}: {SlackText(row.Text, userName, groupHandle)}" };
        if (row.Edited) parts.Add("_(edited)_");
        foreach (var image in row.Images) parts.Add(":frame_with_picture: " + LinkText(image, "screenshot"));
        foreach (var file in row.Files) parts.Add(":paperclip: " + Mrkdwn.Escape(file));
        if (row.Pinned) parts.Add(":pushpin:");
        foreach (var section in row.Sections)
            parts.Add("`" + (Sections.Titles.TryGetValue(section, out var t) ? t : section) + "`");
        return string.Join(' ', parts);
    }

    /// <summary>Message text as Slack stored it: mentions shown as names, broadcasts defused.</summary>
    public static string SlackText(string? text, Func<string, string?> userName, Func<string, string?> groupHandle)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var named = Mentions.ToNames(text, id => userName(id) is { } n ? Mrkdwn.Escape(n) : null,
            id => groupHandle(id) is { } h ? Mrkdwn.Escape(h) : null);
        return Broadcast().Replace(named, m => "@" + m.Groups[1].Value);
    }

    /// <summary>Slack-formatted text with channel-wide pings and group pings made plain, so repeating it notifies nobody new.</summary>
    public static string Defused(string? text) =>
        string.IsNullOrEmpty(text) ? "" : Broadcast().Replace(GroupPing().Replace(text, m => m.Groups[1].Success ? m.Groups[1].Value : "@group"), m => "@" + m.Groups[1].Value);

    /// <summary>Command text (Slack's own format: already escaped, mentions as ids) as a block quote on new lines:
    /// defused, and every line quoted, since Slack's "&gt;" quotes only the line it starts.</summary>
    public static string Quote(string? text) =>
        string.IsNullOrWhiteSpace(text)
            ? ""
            : "\n" + string.Join("\n", Defused(text.Trim()).Split('\n').Select(line => ">" + line.TrimEnd('\r')));

    [GeneratedRegex(@"<!subteam\^[A-Z0-9]+(?:\|([^>]*))?>")]
    private static partial Regex GroupPing();

    private static string Who(string? userId, Func<string, string?> userName) =>
        userId is null ? "someone" : "*" + Mrkdwn.Escape(userName(userId) ?? userId) + "*";

    private static string LinkText(string? url, string? label)
    {
        if (url is null) return Mrkdwn.Escape(label);
        try { return Mrkdwn.Link(url, label); }
        catch (ArgumentException) { return Mrkdwn.Escape(label ?? url); }
    }

    private static string? Data(TimelineRow row, string key)
    {
        if (row.Data is null) return null;
        using var doc = JsonDocument.Parse(row.Data);
        return doc.RootElement.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
    }

    /// <summary>The lines with a day heading wherever the (UTC) date changes.</summary>
    public static IEnumerable<string> WithDays(IEnumerable<(TimelineRow Row, string Line)> lines)
    {
        DateOnly? day = null;
        foreach (var (row, line) in lines)
        {
            var d = DateOnly.FromDateTime(row.OccurredAt);
            if (d != day)
            {
                day = d;
                yield return "*" + d.ToString("dddd d MMMM yyyy", CultureInfo.InvariantCulture) + "* (UTC)";
            }
            yield return line;
        }
    }
}
