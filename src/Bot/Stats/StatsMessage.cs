using System.Globalization;
using System.Text;
using Bot.Slack.Blocks;

namespace Bot.Stats;

/// <summary>The stats as an ephemeral Block Kit message: a summary, then the figures by severity and by month as
/// monospaced tables (mrkdwn code blocks line them up in every Slack client).</summary>
public static class StatsMessage
{
    public static IReadOnlyList<Block> Blocks(StatsReport report, bool chartComing)
    {
        var all = report.All;
        var blocks = new List<Block>
        {
            Block.Header($"Incident stats: the last {report.Days} day{(report.Days == 1 ? "" : "s")}"),
            Block.Section(Summary(report)),
        };
        if (all.Incidents > 0)
        {
            blocks.Add(Block.Section("*By severity*\n" + Table(report.BySeverity)));
            blocks.Add(Block.Section("*By month* (UTC)\n" + Table(report.ByMonth)));
        }
        blocks.Add(Block.Context(
            "Incidents resolved in the window (cancelled ones left out). Resolve: opened → resolved. Meeting: resolved → the post-mortem meeting's start. " +
            "On time: items done by their due date, of those done or past due (dropped ones and ones not yet due are not counted)." +
            (chartComing ? " A chart is on its way to your DM." : "")));
        return blocks;
    }

    public static string Summary(StatsReport report)
    {
        var a = report.All;
        var window = $"{Day(report.Since)} – {Day(report.Until)} (UTC)";
        if (a.Incidents == 0) return $"No incidents were resolved {window}.";
        var text = new StringBuilder();
        text.Append($"*{a.Incidents}* incident{(a.Incidents == 1 ? "" : "s")} resolved {window}.\n");
        text.Append($"• Time to resolve: median *{Duration(a.ResolveMedianSeconds)}*, 90th percentile *{Duration(a.ResolveP90Seconds)}*\n");
        text.Append(a.WithMeeting == 0
            ? "• Resolve → post-mortem meeting: no meeting set yet\n"
            : $"• Resolve → post-mortem meeting: median *{Duration(a.MeetingMedianSeconds)}* ({a.WithMeeting} of {a.Incidents} have a meeting)\n");
        text.Append($"• Post-mortems published: *{a.Published}* ({Percent(a.PublishedShare)})\n");
        text.Append(a.OnTimeShare is { } share
            ? $"• Action items done on time: *{Percent(share)}* ({a.ItemsOnTime} of {a.ItemsDue})"
            : "• Action items done on time: none due yet");
        return text.ToString();
    }

    public static string Table(IEnumerable<StatsRow> rows)
    {
        var lines = new List<string[]> { new[] { "", "incidents", "resolve p50", "p90", "meeting p50", "published", "on time" } };
        lines.AddRange(rows.Select(r => new[]
        {
            r.Key ?? "all", r.Incidents.ToString(CultureInfo.InvariantCulture), Duration(r.ResolveMedianSeconds), Duration(r.ResolveP90Seconds),
            Duration(r.MeetingMedianSeconds), $"{r.Published} ({Percent(r.PublishedShare)})",
            r.OnTimeShare is { } s ? $"{r.ItemsOnTime}/{r.ItemsDue} ({Percent(s)})" : "–",
        }));
        var widths = Enumerable.Range(0, lines[0].Length).Select(c => lines.Max(l => l[c].Length)).ToArray();
        var body = lines.Select(l => string.Join("  ", l.Select((cell, c) => c == 0 ? cell.PadRight(widths[c]) : cell.PadLeft(widths[c]))).TrimEnd());
        return "```\n" + string.Join("\n", body) + "\n```";
    }

    /// <summary>"42m", "5h 07m", "3d 04h"; "–" for no figure.</summary>
    public static string Duration(double? seconds)
    {
        if (seconds is not { } s) return "–";
        var t = TimeSpan.FromSeconds(Math.Max(0, Math.Round(s)));
        return t.TotalHours < 1 ? $"{(int)t.TotalMinutes}m"
            : t.TotalHours < 48 ? $"{(int)t.TotalHours}h {t.Minutes:00}m"
            : $"{(int)t.TotalDays}d {t.Hours:00}h";
    }

    public static string Percent(double share) => (share * 100).ToString("0", CultureInfo.InvariantCulture) + "%";

    private static string Day(DateTimeOffset t) => t.UtcDateTime.ToString("d MMM yyyy", CultureInfo.InvariantCulture);
}
