namespace Bot.Postmortems;

public static class Durations
{
    /// <summary>"2 h 5 min", "3 d 4 h", "40 s": two units at most, enough to read at a glance.</summary>
    public static string Describe(TimeSpan d)
    {
        if (d < TimeSpan.Zero) d = TimeSpan.Zero;
        if (d.TotalDays >= 1) return $"{(int)d.TotalDays} d {d.Hours} h";
        if (d.TotalHours >= 1) return $"{(int)d.TotalHours} h {d.Minutes} min";
        if (d.TotalMinutes >= 1) return $"{(int)d.TotalMinutes} min";
        return $"{(int)d.TotalSeconds} s";
    }
}
