using System.Globalization;
using System.Text.RegularExpressions;

namespace Bot.Postmortems.Scheduling;

/// <summary>What <c>&lt;when&gt; [for &lt;minutes&gt;]</c> said: an instant, and a length when one was given.</summary>
public abstract record ParsedWhen
{
    public sealed record At(DateTimeOffset Start, int? Minutes) : ParsedWhen;
    public sealed record Invalid(string Message) : ParsedWhen;
}

/// <summary>Reads meeting times as people type them, in the typing person's time zone. Pure (the clock and zone
/// are arguments), so every form and every DST edge is unit-tested.</summary>
public static partial class WhenParser
{
    public const string Examples =
        "Try one of: `tomorrow 10:00`, `mon 14:30`, `2026-12-01 09:30`, `2026-12-01T09:30:00Z`, optionally followed by `for 30` (minutes).";

    public static ParsedWhen Parse(string? text, DateTimeOffset now, TimeZoneInfo zone)
    {
        var input = (text ?? "").Trim();
        if (input.Length == 0) return new ParsedWhen.Invalid($"When should it be? {Examples}");

        int? minutes = null;
        var forMatch = ForClause().Match(input);
        if (forMatch.Success)
        {
            minutes = ParseLength(forMatch.Groups["len"].Value);
            if (minutes is null)
                return new ParsedWhen.Invalid($"I can't read the length `{forMatch.Groups["len"].Value}`: give minutes, like `for 45` or `for 1h`. {Examples}");
            input = input[..forMatch.Index].Trim();
        }

        // An instant with its own offset needs no time zone.
        if (input.Contains('T') && HasOffset().IsMatch(input)
            && DateTimeOffset.TryParse(input, CultureInfo.InvariantCulture, DateTimeStyles.None, out var exact))
            return new ParsedWhen.At(exact.ToUniversalTime(), minutes);

        var local = ParseLocal(input, TimeZones.ToLocal(now, zone));
        if (local is null) return new ParsedWhen.Invalid($"I can't read `{text!.Trim()}` as a time. {Examples}");
        var instant = TimeZones.ToInstant(local.Value, zone);
        if (instant is null)
            return new ParsedWhen.Invalid(
                $"{local.Value.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} does not exist in {zone.Id} (the clocks change then). Pick another time.");
        return new ParsedWhen.At(instant.Value, minutes);
    }

    private static DateTime? ParseLocal(string input, DateTime localNow)
    {
        // 2026-12-01T09:30[:00] without an offset, or 2026-12-01 09:30: wall-clock time in the zone.
        string[] formats = ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd H:mm"];
        if (DateTime.TryParseExact(input, formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var full))
            return full;

        var m = DayAndTime().Match(input);
        if (!m.Success) return null;
        var time = ParseTime(m.Groups["time"].Value);
        if (time is null) return null;
        var today = DateOnly.FromDateTime(localNow);
        var dayWord = m.Groups["day"].Value.ToLowerInvariant();
        DateOnly date;
        if (dayWord == "today") date = today;
        else if (dayWord == "tomorrow") date = today.AddDays(1);
        else if (WorkingTime.TryDay(dayWord) is { } weekday)
        {
            var ahead = ((int)weekday - (int)today.DayOfWeek + 7) % 7;
            date = today.AddDays(ahead);
            // "mon 10:00" said on a Monday after 10:00 means next Monday.
            if (ahead == 0 && date.ToDateTime(time.Value) <= localNow) date = date.AddDays(7);
        }
        else if (DateOnly.TryParseExact(dayWord, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) date = d;
        else return null;
        return date.ToDateTime(time.Value);
    }

    /// <summary>"14:30", "9:05", "2pm", "2:30pm", "14h".</summary>
    private static TimeOnly? ParseTime(string text)
    {
        var m = TimeForm().Match(text.ToLowerInvariant());
        if (!m.Success) return null;
        var hour = int.Parse(m.Groups["h"].Value, CultureInfo.InvariantCulture);
        var minute = m.Groups["m"].Success ? int.Parse(m.Groups["m"].Value, CultureInfo.InvariantCulture) : 0;
        var ampm = m.Groups["ampm"].Value;
        if (ampm.Length > 0)
        {
            if (hour is < 1 or > 12) return null;
            hour = hour % 12 + (ampm == "pm" ? 12 : 0);
        }
        else if (!m.Groups["m"].Success && !m.Groups["hsuffix"].Success) return null; // a bare "10" is too vague
        if (hour > 23 || minute > 59) return null;
        return new TimeOnly(hour, minute);
    }

    /// <summary>"45", "45m", "45 min", "1h", "1h30", "1.5h" → minutes.</summary>
    private static int? ParseLength(string text)
    {
        var t = text.Trim().ToLowerInvariant().Replace(" ", "");
        var m = LengthForm().Match(t);
        if (!m.Success) return null;
        if (m.Groups["hours"].Success)
        {
            var hours = double.Parse(m.Groups["hours"].Value, CultureInfo.InvariantCulture);
            var extra = m.Groups["hm"].Success ? int.Parse(m.Groups["hm"].Value, CultureInfo.InvariantCulture) : 0;
            return (int)Math.Round(hours * 60) + extra;
        }
        return int.Parse(m.Groups["mins"].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"\s+for\s+(?<len>\S.*)$", RegexOptions.IgnoreCase)]
    private static partial Regex ForClause();

    [GeneratedRegex(@"(Z|[+-]\d{2}:?\d{2})$", RegexOptions.IgnoreCase)]
    private static partial Regex HasOffset();

    [GeneratedRegex(@"^(?<day>today|tomorrow|[a-z]{3,9}|\d{4}-\d{2}-\d{2})\s+(at\s+)?(?<time>\S+)$", RegexOptions.IgnoreCase)]
    private static partial Regex DayAndTime();

    [GeneratedRegex(@"^(?<h>\d{1,2})(?::(?<m>\d{2}))?(?<hsuffix>h)?(?<ampm>am|pm)?$")]
    private static partial Regex TimeForm();

    [GeneratedRegex(@"^(?:(?<hours>\d+(?:\.\d+)?)h(?<hm>\d{1,2})?|(?<mins>\d{1,4})(?:m|min|mins|minutes)?)$")]
    private static partial Regex LengthForm();
}
