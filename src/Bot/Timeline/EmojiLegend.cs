using System.ComponentModel.DataAnnotations;

namespace Bot.Timeline;

/// <summary>Sections of the post-mortem a reaction can mark a message for.</summary>
public static class Sections
{
    public const string Observations = "observations";
    public const string Symptoms = "symptoms";
    public const string Hypothesis = "hypothesis";
    public const string Remediation = "remediation";
    public const string Impact = "impact";
    public const string KeyPoints = "key_points";
    public const string ActionItems = "action_items";
    public const string Questions = "questions";
    public const string WentWell = "went_well";
    public const string WentBadly = "went_badly";

    public static readonly IReadOnlyDictionary<string, string> Titles = new Dictionary<string, string>
    {
        [Observations] = "Observations",
        [Symptoms] = "Symptoms",
        [Hypothesis] = "Hypothesis / contributing factors",
        [Remediation] = "Remediation",
        [Impact] = "Impact",
        [KeyPoints] = "Key points",
        [ActionItems] = "Action items",
        [Questions] = "Questions",
        [WentWell] = "What went well",
        [WentBadly] = "What didn't go so well",
    };
}

/// <summary>Bot:Timeline settings.</summary>
public sealed class TimelineOptions
{
    /// <summary>True (default): capture is stored before Slack is answered, so an event the database could not
    /// take is delivered again and nothing is lost to a crash of the bot or an outage shorter than Slack's retries
    /// (three, over about six minutes; README "What capture keeps"). False: Slack is answered first and
    /// capture runs right after, which keeps acks faster under heavy load (docs/benchmarks.md) but loses the
    /// events still queued in memory if the process dies.</summary>
    public bool CaptureBeforeAck { get; set; } = true;

    /// <summary>Group commit (CaptureBatcher): how many writer loops (each one connection; events are spread over
    /// them by channel) and how many events at most one commit takes. Two writers keep one batch filling while the
    /// other commits; on a small machine more only add contention (docs/benchmarks.md).</summary>
    [Range(1, 16)] public int CaptureWriters { get; set; } = 2;
    [Range(1, 1000)] public int CaptureMaxBatch { get; set; } = 64;

    /// <summary>emoji name (without colons) → section. Configuration adds or overrides entries;
    /// an entry set to "" switches that emoji off.</summary>
    public Dictionary<string, string> EmojiLegend { get; set; } = new(EmojiLegendDefaults.Map, StringComparer.OrdinalIgnoreCase);
}

public static class EmojiLegendDefaults
{
    public static readonly IReadOnlyDictionary<string, string> Map = new Dictionary<string, string>
    {
        ["eyes"] = Sections.Observations,
        ["boom"] = Sections.Symptoms,
        ["bulb"] = Sections.Hypothesis,
        ["wrench"] = Sections.Remediation,
        ["moneybag"] = Sections.Impact,
        ["key"] = Sections.KeyPoints,
        ["memo"] = Sections.ActionItems,
        ["question"] = Sections.Questions,
        ["tada"] = Sections.WentWell,
        ["warning"] = Sections.WentBadly,
    };
}

/// <summary>The legend in use: which section, if any, a reaction marks.</summary>
public sealed class EmojiLegend(IReadOnlyDictionary<string, string> map)
{
    public IReadOnlyDictionary<string, string> Map { get; } = map
        .Where(kv => !string.IsNullOrWhiteSpace(kv.Value))
        .ToDictionary(kv => kv.Key.Trim(':').ToLowerInvariant(), kv => kv.Value.Trim());

    public static EmojiLegend Default { get; } = new(EmojiLegendDefaults.Map);

    /// <summary>Skin tones ("+1::skin-tone-2") count as the base emoji.</summary>
    public string? SectionFor(string? reaction)
    {
        if (string.IsNullOrEmpty(reaction)) return null;
        var name = reaction;
        var tone = name.IndexOf("::", StringComparison.Ordinal);
        if (tone >= 0) name = name[..tone];
        return Map.TryGetValue(name.ToLowerInvariant(), out var section) ? section : null;
    }

    /// <summary>One line per emoji for the kickoff message, in the legend's order.</summary>
    public IEnumerable<string> Lines() =>
        Map.Select(kv => $":{kv.Key}: {(Sections.Titles.TryGetValue(kv.Value, out var t) ? t : kv.Value)}");
}
