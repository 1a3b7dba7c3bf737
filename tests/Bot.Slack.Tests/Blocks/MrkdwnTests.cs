using Bot.Slack.Blocks;

namespace Bot.Slack.Tests.Blocks;

public class MrkdwnTests
{
    [Theory]
    [InlineData("<!channel> outage", "&lt;!channel&gt; outage")]
    [InlineData("<@U123> and <#C1>", "&lt;@U123&gt; and &lt;#C1&gt;")]
    [InlineData("R&D > ops", "R&amp;D &gt; ops")]
    [InlineData("&lt; already", "&amp;lt; already")]
    [InlineData("plain *bold* _it_", "plain *bold* _it_")]
    [InlineData("", "")]
    [InlineData(null, "")]
    public void Escape_NeutralisesControlSequences(string? input, string expected) =>
        Assert.Equal(expected, Mrkdwn.Escape(input));

    [Fact]
    public void Escaped_TextHasNoMentionLeft()
    {
        var escaped = Mrkdwn.Escape("Title <!here> <!everyone> <!subteam^S1>");
        Assert.DoesNotContain('<', escaped);
        Assert.DoesNotContain('>', escaped);
    }

    [Fact]
    public void Mentions_AreFormatted_AndRejectNonIds()
    {
        Assert.Equal("<@U123ABC>", Mrkdwn.User("U123ABC"));
        Assert.Equal("<#C42>", Mrkdwn.Channel("C42"));
        Assert.Equal("<!subteam^S9>", Mrkdwn.UserGroup("S9"));
        Assert.Throws<ArgumentException>(() => Mrkdwn.User("U1> <!channel"));
        Assert.Throws<ArgumentException>(() => Mrkdwn.Channel(""));
    }

    [Fact]
    public void Link_EscapesTheLabel_AndKeepsTheUrlFromEndingEarly()
    {
        Assert.Equal("<https://example.com/a?b=1&amp;c=2|logs &lt;prod&gt;>", Mrkdwn.Link("https://example.com/a?b=1&c=2", "logs <prod>"));
        Assert.Equal("<https://example.com/x%7Cy>", Mrkdwn.Link("https://example.com/x|y"));
        Assert.Equal("<https://e.com|a¦b>", Mrkdwn.Link("https://e.com", "a|b"));
        Assert.Throws<ArgumentException>(() => Mrkdwn.Link("javascript:alert(1)", "x"));
        Assert.Throws<ArgumentException>(() => Mrkdwn.Link("/relative", "x"));
    }

    [Fact]
    public void Date_UsesSlacksDateToken_WithAUtcFallback()
    {
        var when = new DateTimeOffset(2026, 11, 28, 14, 5, 0, TimeSpan.FromHours(1));
        Assert.Equal("<!date^1795871100^{date_short_pretty} {time}|2026-11-28 13:05 UTC>", Mrkdwn.Date(when));
    }

    [Fact]
    public void Bold_EscapesItsContent() => Assert.Equal("*a &lt;b&gt;*", Mrkdwn.Bold("a <b>"));
}
