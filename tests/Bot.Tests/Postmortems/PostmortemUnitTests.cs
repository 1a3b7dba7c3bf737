using System.Text;
using Bot.Postmortems;
using Bot.Postmortems.Meetings;

namespace Bot.Tests.Postmortems;

public sealed class PostmortemUnitTests
{
    [Fact]
    public void Parser_ReadsEverySubcommand()
    {
        Assert.IsType<PostmortemRequest.Help>(PostmortemCommandParser.Parse(""));
        Assert.Equal("tomorrow 10:00 for 30", Assert.IsType<PostmortemRequest.Schedule>(PostmortemCommandParser.Parse("schedule tomorrow 10:00 for 30")).When);
        Assert.IsType<PostmortemRequest.Reschedule>(PostmortemCommandParser.Parse("reschedule mon 9:00"));
        Assert.IsType<PostmortemRequest.Cancel>(PostmortemCommandParser.Parse("cancel"));
        Assert.Equal(["U1", "U2"], Assert.IsType<PostmortemRequest.Invite>(PostmortemCommandParser.Parse("invite <@U1|a> <@U2|b> <@U1>")).Users);
        Assert.Equal(["U1"], Assert.IsType<PostmortemRequest.Uninvite>(PostmortemCommandParser.Parse("uninvite <@U1|a>")).Users);
        Assert.Equal("U3", Assert.IsType<PostmortemRequest.Moderator>(PostmortemCommandParser.Parse("moderator <@U3|c>")).UserId);
        Assert.Equal("U4", Assert.IsType<PostmortemRequest.Notetaker>(PostmortemCommandParser.Parse("NOTETAKER <@U4>")).UserId);
        Assert.IsType<PostmortemRequest.Attendees>(PostmortemCommandParser.Parse("attendees"));
    }

    [Theory]
    [InlineData("schedule", "/postmortem schedule <when>")]
    [InlineData("invite", "/postmortem invite @a @b")]
    [InlineData("moderator bob", "/postmortem moderator @a")]
    [InlineData("notetaker <@U1> <@U2>", "/postmortem notetaker @b")]
    [InlineData("frobnicate", "I don't know `frobnicate`")]
    public void Parser_WrongArguments_SayUsage(string text, string expected) =>
        Assert.Contains(expected, Assert.IsType<PostmortemRequest.Invalid>(PostmortemCommandParser.Parse(text)).Message);

    [Fact]
    public void Ics_KeepsTheUid_RaisesSequence_AndCancels()
    {
        var start = new DateTimeOffset(2026, 12, 1, 9, 30, 0, TimeSpan.Zero);
        IcsInvite.Details D(int seq, bool cancelled) => new("pm-1@bot", seq, start, 45, "Post-mortem: #1 DB down", "Blameless", "Slack #inc", [],
            cancelled, start.AddDays(-2));
        var first = Encoding.UTF8.GetString(IcsInvite.Build(D(1, false)));
        var cancel = Encoding.UTF8.GetString(IcsInvite.Build(D(3, true)));

        Assert.Contains("METHOD:REQUEST", first);
        Assert.Contains("UID:pm-1@bot", first);
        Assert.Contains("SEQUENCE:1", first);
        Assert.Contains("DTSTART:20261201T093000Z", first);
        Assert.Contains("DTEND:20261201T101500Z", first);
        Assert.Contains("METHOD:CANCEL", cancel);
        Assert.Contains("UID:pm-1@bot", cancel);
        Assert.Contains("SEQUENCE:3", cancel);
        Assert.Contains("STATUS:CANCELLED", cancel);
    }
}
