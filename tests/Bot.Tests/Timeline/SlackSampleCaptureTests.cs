using System.Text.Json;
using Bot.Slack.Events;
using Bot.Slack.Parsing;
using Bot.Timeline;

namespace Bot.Tests.Timeline;

/// <summary>The capture rules on Slack's own sample events, not only on JSON these tests write.</summary>
public class SlackSampleCaptureTests
{
    private static readonly BotIdentity Bot = BotIdentity.Of("U0OURBOT", "B0OURBOT");

    private static SlackEvent Sample(string name)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "SlackSamples", name + ".inner.json")));
        return SlackParser.ParseEvent(doc.RootElement);
    }

    private static MessageCapture Classify(string name) => MessageClassifier.Classify(Assert.IsType<MessageEvent>(Sample(name)), Bot);

    [Fact]
    public void ThreadReply_IsCapturedWithItsParent()
    {
        var posted = Assert.IsType<MessageCapture.Posted>(Classify("message.thread_reply.channel"));
        Assert.Equal(("1726133700.887259", "1726133698.626339", "W222"), (posted.Ts, posted.ThreadTs, posted.User));
    }

    [Fact]
    public void FileShare_KeepsItsFiles()
    {
        var posted = Assert.IsType<MessageCapture.Posted>(Classify("message.file_share"));
        var file = Assert.Single(posted.Files);
        Assert.Equal(("F111", false), (file.Id, file.IsImage));
        Assert.StartsWith("https://", file.Permalink);
    }

    [Fact]
    public void BotMessage_IsIgnored() => Assert.IsType<MessageCapture.Ignore>(Classify("message.bot_message"));

    [Fact]
    public void EditOfThreadReply_IsAChange()
    {
        var changed = Assert.IsType<MessageCapture.Changed>(Classify("message_changed.thread_reply"));
        Assert.Equal(("1626342128.008700", "1626342092.008500", "updated message", true), (changed.Ts, changed.ThreadTs, changed.Text, changed.WasEdited));
    }

    [Fact]
    public void Delete_PointsAtTheDeletedTs() =>
        Assert.Equal("1626387317.008600", Assert.IsType<MessageCapture.Deleted>(Classify("message_deleted")).Ts);

    [Fact]
    public void Reaction_NamesTheMessage()
    {
        var reaction = Assert.IsType<ReactionAddedEvent>(Sample("reaction_added"));
        Assert.Equal(("message", "C0G9QF9GZ", "1360782400.498405"), (reaction.Item!.Type, reaction.Item.Channel, reaction.Item.Ts));
        Assert.Null(EmojiLegend.Default.SectionFor(reaction.Reaction));
    }
}
