using Bot.Incidents;

namespace Bot.Tests.Incidents;

/// <summary><c>/incident new &lt;title&gt; [sevN] [private|public]</c>: the per-incident privacy word.</summary>
public class NewIncidentPrivacyParserTests
{
    [Theory]
    [InlineData("new Credentials leaked sev1 private", "Credentials leaked", "sev1", true)]
    [InlineData("new Credentials leaked PRIVATE sev1", "Credentials leaked", "sev1", true)]
    [InlineData("new Credentials leaked private", "Credentials leaked", null, true)]
    [InlineData("new Checkout down sev2 public", "Checkout down", "sev2", false)]
    [InlineData("new Checkout down sev2", "Checkout down", "sev2", null)]
    [InlineData("new Private key in a public repo", "Private key in a public repo", null, null)]
    public void Parse_New_TakesTrailingSeverityAndPrivacyInEitherOrder(string text, string title, string? sev, bool? isPrivate)
    {
        var cmd = Assert.IsType<ParsedCommand.New>(IncidentCommandParser.Parse(text));

        Assert.Equal(title, cmd.Title);
        Assert.Equal(sev, cmd.Sev);
        Assert.Equal(isPrivate, cmd.Private);
    }

    [Fact]
    public void Parse_New_TakesEachOptionOnce_TheRestIsTitle()
    {
        var cmd = Assert.IsType<ParsedCommand.New>(IncidentCommandParser.Parse("new Leak public private"));

        Assert.Equal("Leak public", cmd.Title);
        Assert.True(cmd.Private);
    }

    [Fact]
    public void Parse_New_PrivateWithoutTitle_AsksForTheModalWithTheBoxTicked()
    {
        var cmd = Assert.IsType<ParsedCommand.New>(IncidentCommandParser.Parse("new private sev1"));

        Assert.Null(cmd.Title);
        Assert.Equal("sev1", cmd.Sev);
        Assert.True(cmd.Private);
    }
}
