using Bot.Postmortems.Scheduling;

namespace Bot.Tests.Postmortems;

public sealed class SlotProposerTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
    private static readonly TimeZoneInfo Tokyo = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");
    private static readonly TimeSpan Meeting = TimeSpan.FromMinutes(45);

    [Fact]
    public void ResolvedOnFriday_ProposesMondayMorningInTheirZone()
    {
        var resolved = new DateTimeOffset(2026, 11, 27, 16, 0, 0, TimeSpan.Zero); // Fri 17:00 Berlin
        var slot = SlotProposer.Propose(resolved, Berlin, WorkingTime.Default, 1, TimeSpan.Zero, Meeting);
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero), slot); // Mon 09:00 CET
    }

    [Fact]
    public void SameInstant_DifferentZone_DifferentLocalDay()
    {
        // 23:30 UTC Tuesday is already Wednesday morning in Tokyo: the next working day there is Thursday.
        var resolved = new DateTimeOffset(2026, 12, 1, 23, 30, 0, TimeSpan.Zero);
        var slot = SlotProposer.Propose(resolved, Tokyo, WorkingTime.Default, 1, TimeSpan.Zero, Meeting);
        Assert.Equal(new DateTimeOffset(2026, 12, 3, 0, 0, 0, TimeSpan.Zero), slot); // Thu 09:00 JST
    }

    [Fact]
    public void MinimumGap_PushesPastTheFirstHours_AndTheMeetingFitsTheDay()
    {
        var resolved = new DateTimeOffset(2026, 11, 30, 14, 0, 0, TimeSpan.Zero); // Mon 15:00 Berlin
        var slot = SlotProposer.Propose(resolved, Berlin, WorkingTime.Parse("09:00-17:00", "Mon-Fri"), 0, TimeSpan.FromHours(1.5), Meeting);
        // 16:30 is the earliest allowed, but a 45-minute meeting would end after 17:00: Tuesday 09:00 CET.
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero), slot);
    }

    [Fact]
    public void WorkingDays_FromConfiguration()
    {
        var work = WorkingTime.Parse("10:00 - 16:00", "Sun-Thu");
        Assert.Contains(DayOfWeek.Sunday, work.Days);
        Assert.DoesNotContain(DayOfWeek.Friday, work.Days);
        var resolved = new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero); // Thu
        var slot = SlotProposer.Propose(resolved, TimeZoneInfo.Utc, work, 1, TimeSpan.Zero, Meeting);
        Assert.Equal(new DateTimeOffset(2026, 11, 29, 10, 0, 0, TimeSpan.Zero), slot); // Sun 10:00
    }

    [Theory]
    [InlineData("9-17", "Mon-Fri")]
    [InlineData("17:00-09:00", "Mon-Fri")]
    [InlineData("09:00-17:00", "Funday")]
    public void BadConfiguration_Throws(string hours, string days) =>
        Assert.Throws<FormatException>(() => WorkingTime.Parse(hours, days));
}
