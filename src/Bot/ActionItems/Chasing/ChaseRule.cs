using System.Globalization;
using Bot.Postmortems.Scheduling;

namespace Bot.ActionItems.Chasing;

/// <summary>When an owner is chased: on a chase day, from the chase time on, both in the owner's own zone. The time
/// is a wall-clock time found again every day, so a DST change moves nobody's chase by an hour. Pure.</summary>
public sealed record ChaseRule(TimeOnly At, IReadOnlySet<DayOfWeek> Days)
{
    /// <summary>Throws FormatException naming the bad setting.</summary>
    public static ChaseRule From(ActionItemOptions o)
    {
        if (!TimeOnly.TryParseExact(o.ChaseTime, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var at))
            throw new FormatException($"Bot:ActionItems:ChaseTime \"{o.ChaseTime}\" is not HH:mm.");
        // The meetings' day-range reader; the hours are a placeholder it requires.
        return new ChaseRule(at, WorkingTime.Parse("00:00-23:59", o.ChaseDays).Days);
    }

    /// <summary>The owner's local date to chase for now, or null (not a chase day, or before the chase time).</summary>
    public DateOnly? DateToChase(DateTimeOffset now, TimeZoneInfo zone)
    {
        var date = DateOnly.FromDateTime(TimeZones.ToLocal(now, zone));
        if (!Days.Contains(date.DayOfWeek)) return null;
        return DueAt(date, zone) is { } d && now >= d ? date : null;
    }

    /// <summary>The instant of the chase time on that local date (a time the clocks skip that day is taken an hour later).</summary>
    public DateTimeOffset? DueAt(DateOnly date, TimeZoneInfo zone) =>
        TimeZones.ToInstant(date.ToDateTime(At), zone) ?? TimeZones.ToInstant(date.ToDateTime(At).AddHours(1), zone);
}
