using Bot.Incidents;

namespace Bot.Tests.Incidents;

public class IncidentCommandParserTests
{
    [Theory]
    [InlineData("")]
    [InlineData("help")]
    [InlineData("  HELP ")]
    public void Parse_HelpOrNothing_IsHelp(string text) => Assert.IsType<ParsedCommand.Help>(IncidentCommandParser.Parse(text));

    [Theory]
    [InlineData("backfill", null)]
    [InlineData("BACKFILL  ", null)]
    [InlineData("backfill from 2026-11-27 14:00", "2026-11-27 14:00")]
    [InlineData("backfill FROM today 9:30", "today 9:30")]
    public void Parse_Backfill_TakesAnOptionalFrom(string text, string? from) =>
        Assert.Equal(from, Assert.IsType<ParsedCommand.Backfill>(IncidentCommandParser.Parse(text)).From);

    [Theory]
    [InlineData("backfill yesterday")]
    [InlineData("backfill from")]
    [InlineData("backfill since 2026-11-27")]
    public void Parse_Backfill_WithoutFromBeforeTheTime_ShowsItsUsage(string text) =>
        Assert.Equal(Usage.Line(Usage.Backfill), Assert.IsType<ParsedCommand.Invalid>(IncidentCommandParser.Parse(text)).Message);

    [Fact]
    public void Parse_New_TakesTitleAndTrailingSeverity()
    {
        var cmd = Assert.IsType<ParsedCommand.New>(IncidentCommandParser.Parse("new Database is down SEV2"));
        Assert.Equal("Database is down", cmd.Title);
        Assert.Equal("sev2", cmd.Sev);
    }

    [Fact]
    public void Parse_New_WithoutSeverity_KeepsWholeTitle()
    {
        var cmd = Assert.IsType<ParsedCommand.New>(IncidentCommandParser.Parse("new Checkout fails for sev5 users"));
        Assert.Equal("Checkout fails for sev5 users", cmd.Title);
        Assert.Null(cmd.Sev);
    }

    [Theory]
    [InlineData("new")]
    [InlineData("new sev1")]
    public void Parse_NewWithoutTitle_AsksForModal(string text)
    {
        var cmd = Assert.IsType<ParsedCommand.New>(IncidentCommandParser.Parse(text));
        Assert.Null(cmd.Title);
    }

    [Fact]
    public void Parse_New_TooLongTitle_IsRefusedWithUsage()
    {
        var cmd = Assert.IsType<ParsedCommand.Invalid>(IncidentCommandParser.Parse("new " + new string('x', 151)));
        Assert.Contains(Usage.New, cmd.Message);
    }

    [Theory]
    [InlineData("commander", Usage.Commander)]
    [InlineData("commander <@U1> <@U2>", Usage.Commander)]
    [InlineData("role", Usage.Role)]
    [InlineData("role <@U1>", Usage.Role)]
    [InlineData("status", Usage.Status)]
    [InlineData("status fixed", Usage.Status)]
    [InlineData("severity", Usage.Severity)]
    [InlineData("severity sev5", Usage.Severity)]
    [InlineData("note", Usage.Note)]
    [InlineData("link", Usage.Link)]
    [InlineData("link dashboards", Usage.Link)]
    [InlineData("link logs ftp://x", Usage.Link)]
    [InlineData("timeline extra", Usage.Timeline)]
    public void Parse_WrongArguments_GiveTheExactUsageLine(string text, string usage)
    {
        var cmd = Assert.IsType<ParsedCommand.Invalid>(IncidentCommandParser.Parse(text));
        Assert.Contains($"`{usage}`", cmd.Message);
    }

    [Fact]
    public void Parse_UnknownVerb_ListsCommands()
    {
        var cmd = Assert.IsType<ParsedCommand.Invalid>(IncidentCommandParser.Parse("explode now"));
        Assert.Contains("`explode`", cmd.Message);
        Assert.Contains(Usage.Status, cmd.Message);
    }

    [Fact]
    public void Parse_Commander_ReadsEscapedMention()
    {
        var cmd = Assert.IsType<ParsedCommand.Commander>(IncidentCommandParser.Parse("commander <@U123ABC|ada>"));
        Assert.Equal("U123ABC", cmd.UserId);
    }

    [Theory]
    [InlineData("commander <#C42|general>", "#general is a channel, not a user.")]
    [InlineData("commander <!subteam^S9|@oncall>", "@oncall is a user group, not a user.")]
    [InlineData("commander <!here>", "@here is not a user.")]
    [InlineData("role scribe @bob", "@bob is not a user I can read")]
    public void Parse_NonUserMention_IsRefusedByName(string text, string expected)
    {
        var cmd = Assert.IsType<ParsedCommand.Invalid>(IncidentCommandParser.Parse(text));
        Assert.StartsWith(expected, cmd.Message);
    }

    [Fact]
    public void Parse_Role_TakesMultiWordRoleLowercased()
    {
        var cmd = Assert.IsType<ParsedCommand.Role>(IncidentCommandParser.Parse("role Comms Lead <@U7>"));
        Assert.Equal(("comms lead", "U7"), (cmd.RoleName, cmd.UserId));
    }

    [Fact]
    public void Parse_RoleCommander_IsACommanderChange() =>
        Assert.Equal("U7", Assert.IsType<ParsedCommand.Commander>(IncidentCommandParser.Parse("role commander <@U7>")).UserId);

    [Theory]
    [InlineData("status Identified", "identified")]
    [InlineData("status monitoring", "monitoring")]
    public void Parse_Status(string text, string expected) =>
        Assert.Equal(expected, Assert.IsType<ParsedCommand.Status>(IncidentCommandParser.Parse(text)).Value);

    [Theory]
    [InlineData("link Grafana board <https://grafana.example/d/1|grafana.example/d/1>", "Grafana board", "https://grafana.example/d/1")]
    [InlineData("link logs <https://logs.example/q?a=1>", "logs", "https://logs.example/q?a=1")]
    [InlineData("link logs https://logs.example/", "logs", "https://logs.example/")]
    public void Parse_Link(string text, string label, string url)
    {
        var cmd = Assert.IsType<ParsedCommand.Link>(IncidentCommandParser.Parse(text));
        Assert.Equal((label, url), (cmd.Label, cmd.Url));
    }

    [Fact]
    public void Parse_Note_KeepsText() =>
        Assert.Equal("restarted <@U1> db", Assert.IsType<ParsedCommand.Note>(IncidentCommandParser.Parse("note restarted <@U1> db")).Text);

    [Theory]
    [InlineData("reopen", null)]
    [InlineData("REOPEN  errors are back ", "errors are back")]
    public void Parse_Reopen_TakesAnOptionalReason(string text, string? reason) =>
        Assert.Equal(reason, Assert.IsType<ParsedCommand.Reopen>(IncidentCommandParser.Parse(text)).Reason);

    [Fact]
    public void Parse_Reopen_TooLongReason_GivesTheUsageLine() =>
        Assert.Contains(Usage.Reopen, Assert.IsType<ParsedCommand.Invalid>(IncidentCommandParser.Parse("reopen " + new string('x', 3001))).Message);
}
