namespace Bot.Postmortems.Scheduling;

/// <summary>The earliest meeting slot the bot proposes after a resolution: on a working day, inside working hours
/// (the whole meeting), at least the configured number of working days and the minimum gap after resolution.</summary>
public static class SlotProposer
{
    private static readonly TimeSpan Step = TimeSpan.FromMinutes(30);

    public static DateTimeOffset Propose(DateTimeOffset resolvedAt, TimeZoneInfo zone, WorkingTime work, int gapWorkingDays,
        TimeSpan minimumGap, TimeSpan length)
    {
        var localResolved = TimeZones.ToLocal(resolvedAt, zone);
        var day = DateOnly.FromDateTime(localResolved);
        for (var skipped = 0; skipped < gapWorkingDays;)
        {
            day = day.AddDays(1);
            if (work.IsWorkingDay(day)) skipped++;
        }
        var earliest = resolvedAt + minimumGap;

        // Two years of days is far more than any configuration needs; the bound only keeps a bad one from looping.
        for (var i = 0; i < 730; i++, day = day.AddDays(1))
        {
            if (!work.IsWorkingDay(day)) continue;
            for (var t = day.ToDateTime(work.Start); t + length <= day.ToDateTime(work.End); t += Step)
            {
                if (TimeZones.ToInstant(t, zone) is not { } start) continue;
                if (start >= earliest) return start;
            }
        }
        return earliest;
    }
}
