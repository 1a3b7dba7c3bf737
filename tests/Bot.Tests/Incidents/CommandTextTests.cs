using Bot.Incidents;

namespace Bot.Tests.Incidents;

public class CommandTextTests
{
    [Theory]
    [InlineData("DB &amp; cache &lt;down&gt;", "DB & cache <down>")]
    [InlineData("&lt;!channel&gt; typed literally", "<!channel> typed literally")]
    [InlineData("<!channel> pinged", "@channel pinged")]
    [InlineData("ask <@U1|ada> in <#C1|ops>", "ask @ada in #ops")]
    [InlineData("ask <@U1>", "ask @U1")]
    [InlineData("<!subteam^S1|@dbas> paged", "@dbas paged")]
    [InlineData("see <https://x.example/a?b=1&amp;c=2|the graph>", "see the graph")]
    [InlineData("see <https://x.example/>", "see https://x.example/")]
    public void ToPlain_ShowsWhatTheUserSaw(string slack, string plain) => Assert.Equal(plain, CommandText.ToPlain(slack));

    [Fact]
    public void Parse_NewTitle_IsPlainText() =>
        Assert.Equal("R&D <api> down", Assert.IsType<ParsedCommand.New>(IncidentCommandParser.Parse("new R&amp;D &lt;api&gt; down sev1")).Title);

    [Fact]
    public void Parse_LinkUrl_DecodesAmpersands() =>
        Assert.Equal("https://x.example/a?b=1&c=2",
            Assert.IsType<ParsedCommand.Link>(IncidentCommandParser.Parse("link logs <https://x.example/a?b=1&amp;c=2>")).Url);
}
