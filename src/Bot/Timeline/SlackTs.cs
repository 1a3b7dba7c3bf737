using System.Globalization;

namespace Bot.Timeline;

/// <summary>Slack message timestamps ("1355517523.000005") are the message identity and also its time.
/// Converted exactly (not through a double) so ordering by time agrees with ordering by ts.</summary>
public static class SlackTs
{
    public static bool TryToInstant(string? ts, out DateTimeOffset instant)
    {
        instant = default;
        if (string.IsNullOrEmpty(ts)) return false;
        var dot = ts.IndexOf('.');
        var secondsPart = dot < 0 ? ts : ts[..dot];
        var fraction = dot < 0 ? "" : ts[(dot + 1)..];
        if (!long.TryParse(secondsPart, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)) return false;
        if (fraction.Length > 0 && !fraction.All(char.IsAsciiDigit)) return false;
        var micros = fraction.Length == 0 ? 0 : long.Parse(fraction.PadRight(6, '0')[..6], CultureInfo.InvariantCulture);
        if (seconds > 253402300799) return false;
        instant = DateTimeOffset.FromUnixTimeSeconds(seconds).AddTicks(micros * 10);
        return true;
    }

    public static DateTimeOffset ToInstantOr(string? ts, DateTimeOffset fallback) =>
        TryToInstant(ts, out var i) ? i : fallback;
}
