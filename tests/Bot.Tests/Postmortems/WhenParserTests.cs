using Bot.Postmortems.Scheduling;

namespace Bot.Tests.Postmortems;

public sealed class WhenParserTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    // Friday 27 March 2026, 15:00 in Berlin (CET, +01:00); clocks go forward on Sunday 29 March.
    private static readonly DateTimeOffset FridayBeforeDst = new(2026, 3, 27, 14, 0, 0, TimeSpan.Zero);

    private static ParsedWhen.At At(string text, DateTimeOffset now, TimeZoneInfo zone) =>
        Assert.IsType<ParsedWhen.At>(WhenParser.Parse(text, now, zone));

    [Fact]
    public void Tomorrow_IsReadInTheUsersZone()
    {
        var at = At("tomorrow 10:00", FridayBeforeDst, Berlin);
        Assert.Equal(new DateTimeOffset(2026, 3, 28, 9, 0, 0, TimeSpan.Zero), at.Start);
        Assert.Null(at.Minutes);
    }

    [Fact]
    public void Weekday_AcrossTheDstChange_UsesTheSummerOffset()
    {
        // Monday 30 March is in CEST (+02:00): 10:00 local is 08:00 UTC, while Friday's 10:00 was 09:00 UTC.
        var at = At("mon 10:00", FridayBeforeDst, Berlin);
        Assert.Equal(new DateTimeOffset(2026, 3, 30, 8, 0, 0, TimeSpan.Zero), at.Start);
    }

    [Fact]
    public void TimeSkippedByDst_IsRefusedWithTheReason()
    {
        var result = Assert.IsType<ParsedWhen.Invalid>(WhenParser.Parse("2026-03-29 02:30", FridayBeforeDst, Berlin));
        Assert.Contains("does not exist in Europe/Berlin", result.Message);
    }

    [Fact]
    public void RepeatedHourWhenClocksGoBack_TakesTheFirst()
    {
        // 1 Nov 2026, 01:30 happens twice in New York: first at -04:00 (05:30 UTC).
        var at = At("2026-11-01 01:30", new DateTimeOffset(2026, 10, 30, 12, 0, 0, TimeSpan.Zero), NewYork);
        Assert.Equal(new DateTimeOffset(2026, 11, 1, 5, 30, 0, TimeSpan.Zero), at.Start);
    }

    [Theory]
    [InlineData("2026-12-01 09:30", 2026, 12, 1, 8, 30)]
    [InlineData("2026-12-01T09:30", 2026, 12, 1, 8, 30)]
    [InlineData("2026-12-01T09:30:00Z", 2026, 12, 1, 9, 30)]
    [InlineData("2026-12-01T09:30:00+05:00", 2026, 12, 1, 4, 30)]
    [InlineData("today 4pm", 2026, 3, 27, 15, 0)]
    [InlineData("friday 2:30pm", 2026, 4, 3, 12, 30)]
    [InlineData("Thursday 9:05", 2026, 4, 2, 7, 5)]
    public void Forms(string text, int y, int mo, int d, int h, int mi)
    {
        Assert.Equal(new DateTimeOffset(y, mo, d, h, mi, 0, TimeSpan.Zero), At(text, FridayBeforeDst, Berlin).Start);
    }

    [Theory]
    [InlineData("tomorrow 10:00 for 30", 30)]
    [InlineData("tomorrow 10:00 for 60m", 60)]
    [InlineData("tomorrow 10:00 for 1h", 60)]
    [InlineData("tomorrow 10:00 for 1h15", 75)]
    [InlineData("2026-12-01 09:30 for 90 minutes", 90)]
    public void Length(string text, int minutes) => Assert.Equal(minutes, At(text, FridayBeforeDst, Berlin).Minutes);

    [Theory]
    [InlineData("")]
    [InlineData("next week sometime")]
    [InlineData("tomorrow")]
    [InlineData("tomorrow 25:00")]
    [InlineData("mon 10")]
    [InlineData("2026-13-01 09:30")]
    [InlineData("tomorrow 10:00 for ever")]
    public void Unreadable_GetsExamples(string text)
    {
        var result = Assert.IsType<ParsedWhen.Invalid>(WhenParser.Parse(text, FridayBeforeDst, Berlin));
        Assert.Contains("tomorrow 10:00", result.Message);
        Assert.Contains("mon 14:30", result.Message);
    }
}
