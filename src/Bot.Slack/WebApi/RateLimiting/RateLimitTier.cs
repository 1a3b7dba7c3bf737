using System.Reflection;
using System.Text.Json;

namespace Bot.Slack.WebApi.RateLimiting;

/// <summary>A Slack rate-limit tier as this client paces it: a sustained rate and a small burst.
/// Slack's tiers are "N+ per minute" and tolerate short bursts, so a burst above the rate is allowed
/// while the sustained pace stays at the tier's floor.</summary>
public sealed record RateLimitTier(string Name, int PerMinute, int Burst)
{
    public static readonly RateLimitTier Tier1 = new("Tier1", 1, 1);
    public static readonly RateLimitTier Tier2 = new("Tier2", 20, 3);
    public static readonly RateLimitTier Tier3 = new("Tier3", 50, 5);
    public static readonly RateLimitTier Tier4 = new("Tier4", 100, 10);

    /// <summary>chat.postMessage: the per-channel pace is kept separately; this is the workspace-wide ceiling
    /// (Slack documents "several hundred per minute").</summary>
    public static readonly RateLimitTier PostMessage = new("SpecialTier_chat_postMessage", 300, 20);

    /// <summary>auth.test and chat.getPermalink: Slack documents "hundreds per minute" for both.</summary>
    public static readonly RateLimitTier HundredsPerMinute = new("Special", 300, 20);

    public double PerSecond => PerMinute / 60.0;

    public static RateLimitTier FromName(string name) => name switch
    {
        "Tier1" => Tier1,
        "Tier2" => Tier2,
        "Tier3" => Tier3,
        "Tier4" => Tier4,
        "SpecialTier_chat_postMessage" => PostMessage,
        _ when name.StartsWith("SpecialTier_", StringComparison.Ordinal) => HundredsPerMinute,
        // An unknown label is treated as the common middle tier rather than guessed generously.
        _ => Tier3,
    };
}

/// <summary>Method name → tier, from Slack's own table (java-slack-sdk's rate_limit_tiers.json, embedded).</summary>
public static class RateLimitTiers
{
    private static readonly Lazy<IReadOnlyDictionary<string, RateLimitTier>> Table = new(Load);

    /// <summary>The tier of a method; methods missing from the table get Tier3.</summary>
    public static RateLimitTier For(string method) =>
        Table.Value.TryGetValue(method, out var tier) ? tier : RateLimitTier.Tier3;

    public static int Count => Table.Value.Count;

    private static IReadOnlyDictionary<string, RateLimitTier> Load()
    {
        var asm = typeof(RateLimitTiers).Assembly;
        var name = asm.GetManifestResourceNames().Single(n => n.EndsWith("rate_limit_tiers.json", StringComparison.Ordinal));
        using var stream = asm.GetManifestResourceStream(name)!;
        var raw = JsonSerializer.Deserialize<Dictionary<string, string>>(stream)!;
        return raw.ToDictionary(kv => kv.Key, kv => RateLimitTier.FromName(kv.Value), StringComparer.Ordinal);
    }
}
