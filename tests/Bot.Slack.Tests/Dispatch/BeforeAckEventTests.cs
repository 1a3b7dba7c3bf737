using System.Net;
using System.Text.Json.Nodes;
using Bot.Slack.Dispatch;
using Bot.Slack.Events;
using Bot.Slack.Testing;
using Bot.Slack.Tests.Support;

namespace Bot.Slack.Tests.Dispatch;

/// <summary>Handlers registered with <see cref="EventTiming.BeforeAck"/> decide the ack: Slack hears "done" only
/// after they succeeded, and is left to deliver again when they fail, over both transports.</summary>
public class BeforeAckEventTests
{
    private static readonly string MessageEventJson = EventJson.Message("EvB1");

    [Fact]
    public async Task Http_BeforeAckHandler_HasRunWhenTheAckArrives()
    {
        await using var app = await SlackTestApp.Start(b => b.AddEventHandler<MessageEvent, MessageRecorder>(EventTiming.BeforeAck));

        var response = await app.PostEvent(MessageEventJson);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, app.Probe.Count("message")); // no polling: it ran before the answer
    }

    [Fact]
    public async Task Http_FailingBeforeAckHandler_Answers503_SoSlackRetries_AndAfterAckHandlersDoNotRun()
    {
        await using var app = await SlackTestApp.Start(b => b
            .AddEventHandler<MessageEvent, ThrowingMessageHandler>(EventTiming.BeforeAck)
            .AddEventHandler<MessageEvent, MessageRecorder>()
            .AddEventHandler<ReactionAddedEvent, ReactionRecorder>());

        var response = await app.PostEvent(MessageEventJson);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.DoesNotContain("handler bug", await response.Content.ReadAsStringAsync());
        // A later event goes through the after-ack queue; by the time it is handled, a queued message would have been too.
        await app.PostEvent("""
            {"type":"event_callback","team_id":"T1","event_id":"EvB2","event_time":1700000001,
             "event":{"type":"reaction_added","user":"U1","reaction":"eyes","item":{"type":"message","channel":"C1","ts":"1700000000.000100"}}}
            """);
        await Poll.Until(() => app.Probe.Count("reaction") == 1, "the reaction handler");
        Assert.Equal(0, app.Probe.Count("message"));
        Assert.Contains(app.Logs.Entries, e => e.Message.Contains("ThrowingMessageHandler") && e.Message.Contains("EvB1"));
    }

    [Fact]
    public async Task Http_BeforeAckHandlerPastTheDeadline_IsNotAcknowledged()
    {
        await using var app = await SlackTestApp.Start(
            b => b.AddEventHandler<MessageEvent, GatedMessageHandler>(EventTiming.BeforeAck),
            o => o.AckDeadline = TimeSpan.FromMilliseconds(200));

        var response = await app.PostEvent(MessageEventJson);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(1, app.Probe.Count("gated-started"));
        app.Probe.Gate.SetResult();
    }

    [Fact]
    public async Task SocketMode_FailingBeforeAckHandler_WithholdsTheAck_SucceedingOneAcks()
    {
        await using var slack = await FakeSlack.StartAsync();
        await using var bot = await SlackTestApp.Start(
            b => b.AddEventHandler<MessageEvent, FailsOnTextBoom>(EventTiming.BeforeAck),
            o =>
            {
                o.AppToken = slack.AppToken;
                o.BotToken = slack.BotToken;
                o.ApiUrl = slack.ApiUrl;
            });
        await slack.WaitForSocketConnection(1);

        var payload = JsonNode.Parse(Samples.Text("socketmode/py-mock.events_api.message.json"))!["payload"]!;
        payload["event"]!["text"] = "boom";
        await Assert.ThrowsAsync<TimeoutException>(() =>
            slack.SendEnvelope("events_api", payload.ToJsonString(), timeout: TimeSpan.FromSeconds(1)));

        payload["event"]!["text"] = "fine";
        var ack = await slack.SendEnvelope("events_api", payload.ToJsonString());
        Assert.Equal($$"""{"envelope_id":"{{ack.EnvelopeId}}"}""", ack.Raw);
        Assert.Equal(2, bot.Probe.Count("seen"));
    }
}

public sealed class FailsOnTextBoom(Probe probe) : Handlers.IEventHandler<MessageEvent>
{
    public Task Handle(MessageEvent slackEvent, Handlers.EventContext context, CancellationToken ct)
    {
        probe.Record("seen", slackEvent);
        return slackEvent.Text == "boom" ? throw new InvalidOperationException("store unavailable") : Task.CompletedTask;
    }
}
