namespace Bot.Postmortems.Scheduling;

/// <summary>Slack gives IANA ids (users.info tz); an unknown or missing one falls back to UTC rather than failing.</summary>
public static class TimeZones
{
    public static TimeZoneInfo Find(string? id)
    {
        if (string.IsNullOrWhiteSpace(id)) return TimeZoneInfo.Utc;
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return TimeZoneInfo.Utc;
        }
    }

    /// <summary>A wall-clock time in a zone as an instant. A time skipped by a DST change is null; a repeated one
    /// (clocks going back) is its first occurrence.</summary>
    public static DateTimeOffset? ToInstant(DateTime local, TimeZoneInfo zone)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(local)) return null;
        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset).ToUniversalTime();
    }

    public static DateTime ToLocal(DateTimeOffset instant, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(instant, zone).DateTime;

    /// <summary>"Mon 30 Mar 2026, 10:00 (Europe/Berlin)".</summary>
    public static string Describe(DateTimeOffset instant, TimeZoneInfo zone) =>
        $"{ToLocal(instant, zone).ToString("ddd d MMM yyyy, HH:mm", System.Globalization.CultureInfo.InvariantCulture)} ({zone.Id})";
}
