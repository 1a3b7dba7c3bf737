using System.Globalization;
using ScottPlot;

namespace Bot.Stats;

/// <summary>The stats as a PNG: incidents resolved per month, stacked by severity (left axis), and the month's median
/// time to resolve in hours (a line on the right axis). Drawn by ScottPlot on SkiaSharp's bundled Linux library,
/// so the image needs no system fonts or graphics packages.</summary>
public static class StatsChart
{
    public const int Width = 900;
    public const int Height = 500;

    private static readonly Dictionary<string, Color> SeverityColors = new(StringComparer.Ordinal)
    {
        ["sev1"] = Color.FromHex("#C0392B"), ["sev2"] = Color.FromHex("#E67E22"), ["sev3"] = Color.FromHex("#F1C40F"),
        ["sev4"] = Color.FromHex("#3498DB"), ["none"] = Color.FromHex("#95A5A6"),
    };

    public static byte[] Png(StatsReport report)
    {
        var months = report.ByMonth.Select(r => r.Key!).ToList();
        using var plot = new Plot();
        plot.Title($"Incidents resolved in the last {report.Days} days");

        var bars = new List<Bar>();
        for (var x = 0; x < months.Count; x++)
        {
            double top = 0;
            foreach (var (severity, color) in SeverityColors)
            {
                var n = report.MonthSeverity.Where(s => s.Month == months[x] && s.Severity == severity).Sum(s => s.Incidents);
                if (n == 0) continue;
                bars.Add(new Bar { Position = x, ValueBase = top, Value = top + n, FillColor = color });
                top += n;
            }
        }
        if (bars.Count > 0) plot.Add.Bars(bars);
        foreach (var (severity, color) in SeverityColors)
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = severity, FillColor = color });
        plot.Legend.IsVisible = true;
        plot.Legend.Alignment = Alignment.UpperLeft;

        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(0, months.Count).Select(i => (double)i).ToArray(), months.ToArray());
        plot.Axes.Left.Label.Text = "incidents";
        plot.Axes.Right.Label.Text = "median hours to resolve";

        var medians = report.ByMonth.Select((r, i) => (X: (double)i, Hours: r.ResolveMedianSeconds / 3600)).Where(p => p.Hours is not null).ToList();
        if (medians.Count > 0)
        {
            var line = plot.Add.Scatter(medians.Select(p => p.X).ToArray(), medians.Select(p => p.Hours!.Value).ToArray());
            line.Axes.YAxis = plot.Axes.Right;
            line.Color = Color.FromHex("#2C3E50");
            line.LineWidth = 2;
            line.MarkerSize = 7;
            line.LegendText = "median hours to resolve";
        }
        // Both axes from zero (a median is not a change from some baseline), with headroom for the legend.
        var highest = months.Select(m => report.MonthSeverity.Where(s => s.Month == m).Sum(s => s.Incidents)).DefaultIfEmpty(0).Max();
        plot.Axes.SetLimitsX(-0.5, Math.Max(months.Count, 1) - 0.5);
        plot.Axes.SetLimitsY(0, Math.Max(highest, 1) * 1.4, plot.Axes.Left);
        plot.Axes.SetLimitsY(0, Math.Max(medians.Select(p => p.Hours!.Value).DefaultIfEmpty(1).Max(), 1) * 1.2, plot.Axes.Right);
        if (months.Count == 0) plot.Axes.Bottom.Label.Text = "no incidents resolved in this window";
        return plot.GetImageBytes(Width, Height, ImageFormat.Png);
    }

    public static string FileName(StatsReport report) =>
        $"incident-stats-{report.Until.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}-{report.Days}d.png";
}
