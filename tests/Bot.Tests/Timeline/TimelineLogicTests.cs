using Bot.Slack.Events;
using Bot.Timeline;

namespace Bot.Tests.Timeline;

public class TimelineLogicTests
{
    private static readonly BotIdentity Bot = BotIdentity.Of("UBOT", "BBOT");

    [Theory]
    [InlineData("eyes", Sections.Observations)]
    [InlineData("boom", Sections.Symptoms)]
    [InlineData("bulb", Sections.Hypothesis)]
    [InlineData("wrench", Sections.Remediation)]
    [InlineData("moneybag", Sections.Impact)]
    [InlineData("key", Sections.KeyPoints)]
    [InlineData("memo", Sections.ActionItems)]
    [InlineData("question", Sections.Questions)]
    [InlineData("tada", Sections.WentWell)]
    [InlineData("warning", Sections.WentBadly)]
    [InlineData("eyes::skin-tone-3", Sections.Observations)]
    public void DefaultLegend_MapsEmojiToSection(string emoji, string section) =>
        Assert.Equal(section, EmojiLegend.Default.SectionFor(emoji));

    [Fact]
    public void Legend_UnknownEmoji_MarksNothing() => Assert.Null(EmojiLegend.Default.SectionFor("thumbsup"));

    [Fact]
    public void Legend_ConfiguredEmptyEntry_SwitchesEmojiOff()
    {
        var options = new TimelineOptions();
        options.EmojiLegend["eyes"] = "";
        options.EmojiLegend[":fire:"] = Sections.Symptoms;
        var legend = new EmojiLegend(options.EmojiLegend);
        Assert.Null(legend.SectionFor("eyes"));
        Assert.Equal(Sections.Symptoms, legend.SectionFor("fire"));
        Assert.Contains(":fire: Symptoms", legend.Lines());
    }

    [Fact]
    public void SlackTs_ConvertsExactlyToMicroseconds()
    {
        Assert.True(SlackTs.TryToInstant("1355517523.000005", out var i));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1355517523).AddTicks(50), i);
        Assert.False(SlackTs.TryToInstant("abc", out _));
    }

    [Fact]
    public void Classify_PlainMessage_IsPosted()
    {
        var c = MessageClassifier.Classify(new MessageEvent { Ts = "1.000001", User = "U1", Text = "hi" }, Bot);
        var posted = Assert.IsType<MessageCapture.Posted>(c);
        Assert.Equal(("1.000001", (string?)null, "U1"), (posted.Ts, posted.ThreadTs, posted.User));
    }

    [Fact]
    public void Classify_ThreadReply_KeepsParent()
    {
        var c = MessageClassifier.Classify(new MessageEvent { Ts = "2.0", ThreadTs = "1.0", User = "U1" }, Bot);
        Assert.Equal("1.0", Assert.IsType<MessageCapture.Posted>(c).ThreadTs);
    }

    [Theory]
    [InlineData("UBOT", null, null)]
    [InlineData("U9", "BBOT", null)]
    [InlineData("U9", "B1", "bot_message")]
    [InlineData("U9", null, "channel_join")]
    [InlineData("U9", null, "pinned_item")]
    public void Classify_BotOrNonSpeech_IsIgnored(string user, string? botId, string? subtype) =>
        Assert.IsType<MessageCapture.Ignore>(MessageClassifier.Classify(
            new MessageEvent { Ts = "1.0", User = user, BotId = botId, Subtype = subtype }, Bot));

    [Fact]
    public void Classify_Changed_IsAnEditOfTheInnerMessage()
    {
        var e = new MessageEvent
        {
            Subtype = "message_changed", Hidden = true,
            Message = new MessageEvent { Ts = "5.0", ThreadTs = "4.0", User = "U1", Text = "new", Edited = new MessageEdited { Ts = "6.0" } },
        };
        var c = Assert.IsType<MessageCapture.Changed>(MessageClassifier.Classify(e, Bot));
        Assert.Equal(("5.0", "4.0", "new", true), (c.Ts, c.ThreadTs, c.Text, c.WasEdited));
    }

    [Fact]
    public void Classify_Tombstone_IsADelete()
    {
        var e = new MessageEvent { Subtype = "message_changed", Message = new MessageEvent { Ts = "5.0", Subtype = "tombstone", Text = "This message was deleted." } };
        Assert.Equal("5.0", Assert.IsType<MessageCapture.Deleted>(MessageClassifier.Classify(e, Bot)).Ts);
    }

    [Fact]
    public void Classify_Change_CarriesWhenItsTextWasWritten()
    {
        var e = new MessageEvent
        {
            Subtype = "message_changed", Ts = "9.0", EventTs = "9.0",
            Message = new MessageEvent { Ts = "5.0", User = "U1", Text = "unfurled" },
        };
        var c = Assert.IsType<MessageCapture.Changed>(MessageClassifier.Classify(e, Bot));
        Assert.Equal((false, (string?)null, "9.0"), (c.WasEdited, c.EditedTs, c.EventTs));
    }

    [Fact]
    public void Classify_Deleted_CarriesTheLastEditAndTheDeleteTime()
    {
        var e = new MessageEvent
        {
            Subtype = "message_deleted", DeletedTs = "7.0", EventTs = "12.0",
            PreviousMessage = new MessageEvent { Ts = "7.0", User = "U1", Text = "x2", Edited = new MessageEdited { Ts = "8.0" } },
        };
        var d = Assert.IsType<MessageCapture.Deleted>(MessageClassifier.Classify(e, Bot));
        Assert.Equal(("x2", "8.0", "12.0"), (d.Text, d.TextEditedTs, d.EventTs));
    }

    [Fact]
    public void Classify_DeletedAfterATombstone_KeepsNeitherTheTombstonesTextNorItsAuthor()
    {
        var e = new MessageEvent
        {
            Subtype = "message_deleted", DeletedTs = "7.0", EventTs = "12.0",
            PreviousMessage = new MessageEvent { Ts = "7.0", Subtype = "tombstone", User = "USLACKBOT", Text = "This message was deleted." },
        };
        var d = Assert.IsType<MessageCapture.Deleted>(MessageClassifier.Classify(e, Bot));
        Assert.Equal(((string?)null, (string?)null, "12.0"), (d.User, d.Text, d.EventTs));
    }

    [Fact]
    public void Classify_Deleted_UsesDeletedTs()
    {
        var e = new MessageEvent { Subtype = "message_deleted", DeletedTs = "7.0", PreviousMessage = new MessageEvent { Ts = "7.0", User = "U1", Text = "x" } };
        Assert.Equal("7.0", Assert.IsType<MessageCapture.Deleted>(MessageClassifier.Classify(e, Bot)).Ts);
    }

    [Fact]
    public void PinnedLinks_FindsSlackFormattedLinks()
    {
        var links = PinnedLinks.In("logs <https://logs.example/a|here> and <https://grafana.example/d> and <@U1> <mailto:a@b.c|a>");
        Assert.Equal([("https://logs.example/a", (string?)"here"), ("https://grafana.example/d", null)], links);
    }

    [Fact]
    public void Mentions_ToNames_ShowsNamesAndKeepsUnknownIds()
    {
        var text = global::Bot.Incidents.Mentions.ToNames("ask <@U1> and <@U2|x> or <!subteam^S1|@dbas>",
            id => id == "U1" ? "Ada" : null, id => id == "S1" ? "dba-team" : null);
        Assert.Equal("ask @Ada and @U2 or @dba-team", text);
    }
}
