using Bot.Incidents;

namespace Bot.Tests.Incidents;

public class ChannelNamesTests
{
    [Fact]
    public void For_BuildsPrefixDateSlug() =>
        Assert.Equal("inc-20261128-database-is-down-again", ChannelNames.For("inc", new DateOnly(2026, 11, 28), "Database is DOWN (again)!", 3));

    [Fact]
    public void For_RemovesAccentsAndSymbols() =>
        Assert.Equal("inc-20260101-cafe-creme-payments-50", ChannelNames.For("inc", new DateOnly(2026, 1, 1), "Café crème: payments <50%>", 1));

    [Fact]
    public void For_EmptySlug_UsesNumber() =>
        Assert.Equal("inc-20260101-incident-7", ChannelNames.For("inc", new DateOnly(2026, 1, 1), "日本語", 7));

    [Fact]
    public void For_LongTitle_FitsWithRoomForSuffix()
    {
        var name = ChannelNames.For("incident", new DateOnly(2026, 1, 1), string.Join(' ', Enumerable.Repeat("word", 60)), 1);
        Assert.True(name.Length <= ChannelNames.MaxLength - 4, name);
        Assert.False(name.EndsWith('-'));
        Assert.True(ChannelNames.WithSuffix(name, 12).Length <= ChannelNames.MaxLength);
    }

    [Fact]
    public void WithSuffix_AppendsNumber() => Assert.Equal("inc-x-2", ChannelNames.WithSuffix("inc-x", 2));

    [Fact]
    public void WithSuffix_NeverExceedsLimit() =>
        Assert.Equal(80, ChannelNames.WithSuffix(new string('a', 80), 3).Length);
}
