using Bot.ActionItems;
using Bot.ActionItems.Chasing;
using Bot.Postmortems;
using Bot.Postmortems.Scheduling;

namespace Bot.Tests.ActionItems;

public sealed class ActionItemParsingTests
{
    private static readonly TimeZoneInfo NewYork = TimeZones.Find("America/New_York");
    private static readonly TimeZoneInfo Berlin = TimeZones.Find("Europe/Berlin");

    [Theory]
    [InlineData("Add alerting <@U0BOB|bob> due tomorrow", "Add alerting", "U0BOB", "tomorrow", null)]
    [InlineData("Add alerting <@U0BOB|bob> in 3 days", "Add alerting", "U0BOB", "in 3 days", null)]
    [InlineData("Add alerting due fri <@U0BOB>", "Add alerting", "U0BOB", "fri", null)]
    [InlineData("Ask <@U0CAT> about DNS <@U0BOB> due 2026-12-10 link <https://example.com/t/1>", "Ask <@U0CAT> about DNS", "U0BOB", "2026-12-10", "https://example.com/t/1")]
    [InlineData("Write the runbook link <https://example.com/a?b=1&amp;c=2|doc>", "Write the runbook", null, null, "https://example.com/a?b=1&c=2")]
    [InlineData("Check <https://example.com/dash>", "Check <https://example.com/dash>", null, null, null)]
    public void Action_ReadsTextOwnerDueAndLink_InAnyOrder(string rest, string text, string? owner, string? due, string? link)
    {
        var parsed = ActionCommandParser.Parse(rest, out var error);
        Assert.Null(error);
        Assert.Equal(new ActionRequest(text, owner, due, link), parsed);
    }

    [Theory]
    [InlineData("<@U0BOB|bob>", "What is the action item")]
    [InlineData("Fix it <#C123|ops>x link ftp://x", "not a link")]
    [InlineData("Fix it <!subteam^S1|oncall> <@Ubad", null)]
    public void Action_RefusesWhatItCannotKeep(string rest, string? message)
    {
        var parsed = ActionCommandParser.Parse(rest, out var error);
        if (message is null) { Assert.NotNull(parsed); return; }
        Assert.Null(parsed);
        Assert.Contains(message, error);
    }

    [Fact]
    public void Action_TooLong_IsRefusedWithTheLimit()
    {
        Assert.Null(ActionCommandParser.Parse(new string('x', 1001) + " <@U0BOB>", out var error));
        Assert.Contains("at most 1000", error);
    }

    [Fact]
    public void DueDates_AreReadInTheCallersZone_AndEndAtTheirMidnight()
    {
        // 03:00 UTC on Tuesday is still Monday evening in New York.
        var now = new DateTimeOffset(2026, 12, 8, 3, 0, 0, TimeSpan.Zero);
        var tomorrow = DueDates.Parse("tomorrow", now, NewYork, out _)!;
        Assert.Equal(new DateOnly(2026, 12, 8), tomorrow.Day);
        Assert.Equal(new DateTimeOffset(2026, 12, 9, 5, 0, 0, TimeSpan.Zero), tomorrow.EndsAt);
        Assert.Equal(new DateOnly(2026, 12, 9), DueDates.Parse("tomorrow", now, Berlin, out _)!.Day);
        Assert.Equal(new DateOnly(2026, 12, 10), DueDates.Parse("in 3 days", now, NewYork, out _)!.Day);
        Assert.Equal(new DateOnly(2026, 12, 21), DueDates.Parse("in 2 weeks", now, NewYork, out _)!.Day);
        Assert.Equal(new DateOnly(2026, 12, 11), DueDates.Parse("fri", now, NewYork, out _)!.Day);
        Assert.Equal(new DateOnly(2026, 12, 7), DueDates.Parse("today", now, NewYork, out _)!.Day);
        Assert.Equal(new DateTimeOffset(2026, 12, 11, 23, 0, 0, TimeSpan.Zero), DueDates.Parse("2026-12-11", now, Berlin, out _)!.EndsAt);
    }

    [Theory]
    [InlineData("banana", "can't read")]
    [InlineData("2026-12-01", "in the past")]
    [InlineData("in many days", "can't read")]
    public void DueDates_Bad_SayWhy(string text, string message)
    {
        Assert.Null(DueDates.Parse(text, new DateTimeOffset(2026, 12, 8, 3, 0, 0, TimeSpan.Zero), NewYork, out var error));
        Assert.Contains(message, error);
    }

    [Fact]
    public void ChaseRule_OwnersLocalTime_OnChaseDaysOnly_AndDstMovesNobody()
    {
        var rule = ChaseRule.From(new ActionItemOptions());
        // Friday 11 Dec 2026: Berlin is UTC+1, so 09:30 there is 08:30 UTC.
        Assert.Null(rule.DateToChase(new DateTimeOffset(2026, 12, 11, 8, 29, 0, TimeSpan.Zero), Berlin));
        Assert.Equal(new DateOnly(2026, 12, 11), rule.DateToChase(new DateTimeOffset(2026, 12, 11, 8, 30, 0, TimeSpan.Zero), Berlin));
        Assert.Null(rule.DateToChase(new DateTimeOffset(2026, 12, 11, 14, 29, 0, TimeSpan.Zero), NewYork));
        // Saturday: no chase in Berlin; but it is still Friday evening in New York.
        Assert.Null(rule.DateToChase(new DateTimeOffset(2026, 12, 12, 10, 0, 0, TimeSpan.Zero), Berlin));
        Assert.Equal(new DateOnly(2026, 12, 11), rule.DateToChase(new DateTimeOffset(2026, 12, 12, 2, 0, 0, TimeSpan.Zero), NewYork));
        // Monday 29 March 2027, the day after Berlin's clocks went forward: 09:30 is 07:30 UTC, not 08:30.
        Assert.Null(rule.DateToChase(new DateTimeOffset(2027, 3, 29, 7, 29, 0, TimeSpan.Zero), Berlin));
        Assert.Equal(new DateOnly(2027, 3, 29), rule.DateToChase(new DateTimeOffset(2027, 3, 29, 7, 30, 0, TimeSpan.Zero), Berlin));
    }

    [Fact]
    public void ChaseRule_BadSettings_SayWhich()
    {
        Assert.Contains("ChaseTime", Assert.Throws<FormatException>(() => ChaseRule.From(new ActionItemOptions { ChaseTime = "9h" })).Message);
        Assert.Throws<FormatException>(() => ChaseRule.From(new ActionItemOptions { ChaseDays = "Workdays" }));
        var weekend = ChaseRule.From(new ActionItemOptions { ChaseDays = "Sat,Sun", ChaseTime = "10:00" });
        Assert.Equal(new DateOnly(2026, 12, 12), weekend.DateToChase(new DateTimeOffset(2026, 12, 12, 10, 0, 0, TimeSpan.Zero), TimeZoneInfo.Utc));
    }

    [Fact]
    public void PostmortemParser_KnowsActionVerbs_AndListsTheirUsage()
    {
        Assert.Equal(new PostmortemRequest.Action("fix <@U1>"), PostmortemCommandParser.Parse("action fix <@U1>"));
        Assert.Equal(new PostmortemRequest.Actions(false), PostmortemCommandParser.Parse("actions"));
        Assert.Equal(new PostmortemRequest.Actions(true), PostmortemCommandParser.Parse("actions Mine"));
        Assert.IsType<PostmortemRequest.Invalid>(PostmortemCommandParser.Parse("actions yours"));
        Assert.IsType<PostmortemRequest.Invalid>(PostmortemCommandParser.Parse("action"));
        Assert.Contains(ActionItemCommands.Usage, PostmortemCommandParser.HelpText);
    }
}
