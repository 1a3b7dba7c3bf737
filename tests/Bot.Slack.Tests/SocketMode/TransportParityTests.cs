using Bot.Slack.Events;
using Bot.Slack.Handlers;
using Bot.Slack.Testing;
using Bot.Slack.Tests.Support;

namespace Bot.Slack.Tests.SocketMode;

/// <summary>The same handlers answer the same way whether Slack delivers over HTTP or Socket Mode; only
/// EventContext.Transport tells them apart.</summary>
public class TransportParityTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SameHandlers_SameAnswers_OverEitherTransport(bool socketMode)
    {
        await using var slack = await FakeSlack.StartAsync();
        var channel = slack.AddChannel("general");
        await using var bot = await SlackTestApp.Start(b => b
            .AddSlashCommand<EchoCommand>(EchoCommand.Command)
            .AddEventHandler<MessageEvent, MessageRecorder>(), o =>
        {
            o.ApiUrl = slack.ApiUrl;
            o.BotToken = slack.BotToken;
            if (socketMode) o.AppToken = slack.AppToken;
        }, realSlackApi: true);

        SlackAppDriver driver;
        if (socketMode)
        {
            await slack.WaitForSocketConnection(1);
            driver = slack.OverSocketMode();
        }
        else
        {
            driver = slack.OverHttp(bot.BaseAddress.ToString(), SlackTestApp.Secret);
        }

        var reply = await driver.SlashCommand(EchoCommand.Command, "ping", "U1", channel.Id);
        Assert.True(reply.IsSuccess);
        Assert.Equal("echo: ping", reply.Body!["text"]!.GetValue<string>());

        var (message, ack) = await driver.UserMessage(channel.Id, "U1", "hello there");
        Assert.True(ack.IsSuccess);
        await Poll.Until(() => bot.Probe.Count("message") == 1, "the message handler");
        var (_, input, extra) = bot.Probe.Single("message");
        var (context, _) = ((EventContext, Guid))extra!;
        Assert.Equal((message.Ts, "hello there"), (((MessageEvent)input).Ts, ((MessageEvent)input).Text));
        Assert.Equal(socketMode ? SlackTransport.SocketMode : SlackTransport.Http, context.Transport);
        Assert.False(string.IsNullOrEmpty(context.EventId));
        Assert.Empty(slack.SocketErrors);
    }
}
