using System.Globalization;
using System.Text.RegularExpressions;
using Bot.Postmortems.Scheduling;

namespace Bot.ActionItems;

/// <summary>Due days as people type them ("tomorrow", "in 3 days", "fri", "2026-12-10"), read in the typing person's
/// zone by the meetings' WhenParser: the day ends at midnight there, and that instant is what is compared.</summary>
public static partial class DueDates
{
    public const string Examples = "`due tomorrow`, `due in 3 days`, `due fri`, `due 2026-12-10`";

    public static DueDate? Parse(string text, DateTimeOffset now, TimeZoneInfo zone, out string? error)
    {
        error = null;
        var input = text.Trim().ToLowerInvariant();
        var today = DateOnly.FromDateTime(TimeZones.ToLocal(now, zone));
        if (InDays().Match(input) is { Success: true } m)
        {
            var n = int.Parse(m.Groups["n"].Value, CultureInfo.InvariantCulture);
            input = today.AddDays(m.Groups["unit"].Value.StartsWith('w') ? 7 * n : n).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        }
        // The last minute of the day, so "today" and "fri" (said on a Friday) mean this one.
        if (input.Length == 0 || input.Contains(' ') || WhenParser.Parse($"{input} 23:59", now, zone) is not ParsedWhen.At at)
        {
            error = $"I can't read the due date `{text.Trim()}`. Try {Examples}.";
            return null;
        }
        var day = DateOnly.FromDateTime(TimeZones.ToLocal(at.Start, zone));
        if (day < today)
        {
            error = $"{day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)} is in the past. Try {Examples}.";
            return null;
        }
        return new DueDate(day, at.Start.AddMinutes(1));
    }

    /// <summary>A day picked in a date picker, ending at midnight in the picker's zone.</summary>
    public static DueDate FromDay(DateOnly day, TimeZoneInfo zone) =>
        new(day, (TimeZones.ToInstant(day.ToDateTime(new TimeOnly(23, 59)), zone) ?? TimeZones.ToInstant(day.ToDateTime(new TimeOnly(22, 59)), zone)!.Value).AddMinutes(1));

    [GeneratedRegex(@"^in\s+(?<n>\d{1,3})\s+(?<unit>days?|weeks?)$")]
    private static partial Regex InDays();
}
