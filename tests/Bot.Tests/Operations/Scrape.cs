using System.Globalization;
using System.Text.RegularExpressions;

namespace Bot.Tests.Operations;

/// <summary>One GET /metrics, parsed: each series (name and labels) with its value.</summary>
public sealed partial class Scrape
{
    private readonly List<(string Name, Dictionary<string, string> Labels, double Value)> _series = [];

    public string Text { get; }

    private Scrape(string text)
    {
        Text = text;
        foreach (var line in text.Split('\n'))
        {
            var m = SeriesLine().Match(line);
            if (!m.Success) continue;
            var labels = LabelPair().Matches(m.Groups["labels"].Value).ToDictionary(l => l.Groups[1].Value, l => l.Groups[2].Value);
            _series.Add((m.Groups["name"].Value, labels, double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture)));
        }
    }

    public static async Task<Scrape> From(HttpClient http)
    {
        using var response = await http.GetAsync("/metrics");
        response.EnsureSuccessStatusCode();
        return new Scrape(await response.Content.ReadAsStringAsync());
    }

    public bool Has(string name) => _series.Any(s => s.Name == name);

    /// <summary>The sum of the series of that name carrying these labels (0 when there is none).</summary>
    public double Value(string name, params (string Key, string Value)[] labels) =>
        _series.Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Key, out var v) && v == l.Value)).Sum(s => s.Value);

    public override string ToString() => string.Join("\n", Text.Split('\n').Where(l => l.StartsWith("bot_", StringComparison.Ordinal)));

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})? (?<value>[-+0-9.eE]+|NaN)( \d+)?$")]
    private static partial Regex SeriesLine();

    [GeneratedRegex("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"")]
    private static partial Regex LabelPair();
}
