using Bot.Slack.Blocks;
using Bot.Timeline;

namespace Bot.Incidents;

/// <summary>The messages the bot posts about a new incident. All user text is escaped for mrkdwn.</summary>
public static class KickoffMessage
{
    public static string Fallback(Incident i) => $"Incident #{i.Number}: {Mrkdwn.Escape(i.Title)}";

    public static IReadOnlyList<Block> Blocks(Incident i, EmojiLegend legend)
    {
        var blocks = new List<Block>
        {
            Block.Header($"Incident #{i.Number}: {i.Title}"),
            Block.Section($"*Severity:* {i.Severity ?? "not set"}   *Status:* {i.Status}   *Commander:* <@{i.CommanderId}>" +
                (string.IsNullOrWhiteSpace(i.Description) ? "" : "\n" + Mrkdwn.Escape(i.Description))),
            Block.Divider(),
            // Backfill opens an incident on a channel that has none: it has no use in this one.
            Block.Section("*Commands* (type them here)\n" + string.Join("\n", Usage.All.Skip(1).Where(u => u != Usage.Backfill).Select(u => $"`{u}`"))),
            Block.Section("*Emoji legend*: react to a message to mark it for that section of the post-mortem\n" +
                string.Join("\n", legend.Lines())),
            Block.Context("Every message here, thread replies too, goes into the draft timeline. " +
                "Pin a message to highlight it; links in pinned messages become war-room links."),
        };
        return blocks;
    }

    public static string Topic(Incident i) =>
        Cap($"#{i.Number} {i.Title} · {i.Severity ?? "severity not set"} · {i.Status}", 250);

    public static string Purpose(Incident i) =>
        Cap($"Incident #{i.Number}: {i.Title}. Everything said here is captured for the post-mortem.", 250);

    public static string Announcement(Incident i, string channelId) =>
        $":rotating_light: <@{i.ReporterId}> opened incident #{i.Number}: {Mrkdwn.Escape(i.Title)}" +
        (i.Severity is null ? "" : $" ({i.Severity})") + $". Join <#{channelId}>.";

    private static string Cap(string text, int max) => Mrkdwn.Escape(text.Length <= max ? text : text[..(max - 1)] + "…");
}
