using System.Globalization;

namespace Bot.Postmortems.Scheduling;

/// <summary>Working hours and days, read from PostmortemOptions; all questions are asked in one person's time zone.</summary>
public sealed record WorkingTime(TimeOnly Start, TimeOnly End, IReadOnlySet<DayOfWeek> Days)
{
    private static readonly DayOfWeek[] Week =
        [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday, DayOfWeek.Saturday, DayOfWeek.Sunday];

    public static WorkingTime Default { get; } = Parse("09:00-17:00", "Mon-Fri");

    public static WorkingTime From(PostmortemOptions o) => Parse(o.WorkingHours, o.WorkingDays);

    /// <summary>"09:00-17:00" and "Mon-Fri" or "Mon,Wed,Fri"; throws FormatException with the offending text.</summary>
    public static WorkingTime Parse(string hours, string days)
    {
        var parts = hours.Split(['-', '–'], 2, StringSplitOptions.TrimEntries);
        if (parts.Length != 2
            || !TimeOnly.TryParseExact(parts[0], "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var start)
            || !TimeOnly.TryParseExact(parts[1], "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var end)
            || end <= start)
            throw new FormatException($"Working hours \"{hours}\" are not HH:mm-HH:mm with the end after the start.");

        var set = new HashSet<DayOfWeek>();
        foreach (var piece in days.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var range = piece.Split('-', 2, StringSplitOptions.TrimEntries);
            var from = Day(range[0], days);
            var to = range.Length == 2 ? Day(range[1], days) : from;
            var i = Array.IndexOf(Week, from);
            while (true)
            {
                set.Add(Week[i]);
                if (Week[i] == to) break;
                i = (i + 1) % 7;
            }
        }
        if (set.Count == 0) throw new FormatException($"Working days \"{days}\" name no day.");
        return new WorkingTime(start, end, set);
    }

    public static DayOfWeek? TryDay(string text) => text.Trim().ToLowerInvariant() switch
    {
        "mon" or "monday" => DayOfWeek.Monday,
        "tue" or "tues" or "tuesday" => DayOfWeek.Tuesday,
        "wed" or "wednesday" => DayOfWeek.Wednesday,
        "thu" or "thur" or "thurs" or "thursday" => DayOfWeek.Thursday,
        "fri" or "friday" => DayOfWeek.Friday,
        "sat" or "saturday" => DayOfWeek.Saturday,
        "sun" or "sunday" => DayOfWeek.Sunday,
        _ => null,
    };

    private static DayOfWeek Day(string text, string all) =>
        TryDay(text) ?? throw new FormatException($"Working days \"{all}\": \"{text}\" is not a day (Mon, Tue, ...).");

    public bool IsWorkingDay(DateOnly date) => Days.Contains(date.DayOfWeek);

    /// <summary>Working days strictly after <paramref name="from"/> up to and including <paramref name="to"/>.</summary>
    public int WorkingDaysBetween(DateOnly from, DateOnly to)
    {
        var n = 0;
        for (var d = from.AddDays(1); d <= to; d = d.AddDays(1))
            if (IsWorkingDay(d)) n++;
        return n;
    }
}
