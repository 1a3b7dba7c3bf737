using System.Text.Json.Nodes;
using Bot.Slack.Events;
using Bot.Slack.Handlers;
using Bot.Slack.Interactivity;
using Bot.Slack.Testing;
using Bot.Slack.Tests.Support;

namespace Bot.Slack.Tests.SocketMode;

/// <summary>The Socket Mode client against the fake Slack's Socket Mode server on loopback.</summary>
public class SocketModeClientTests
{
    private static Task<SlackTestApp> StartBot(FakeSlack slack, Action<Bot.Slack.Dispatch.SlackBuilder> handlers,
        Action<SlackOptions>? configure = null) =>
        SlackTestApp.Start(handlers, o =>
        {
            o.AppToken = slack.AppToken;
            o.BotToken = slack.BotToken;
            o.ApiUrl = slack.ApiUrl;
            o.SocketModeInitialBackoff = TimeSpan.FromMilliseconds(20);
            o.SocketModeMaxBackoff = TimeSpan.FromMilliseconds(200);
            configure?.Invoke(o);
        });

    /// <summary>The payload of a Socket Mode sample envelope.</summary>
    private static string SamplePayload(string sample, Action<JsonNode>? edit = null)
    {
        var payload = JsonNode.Parse(Samples.Text("socketmode/" + sample))!["payload"]!;
        edit?.Invoke(payload);
        return payload.ToJsonString();
    }

    [Fact]
    public async Task Connects_AcksEventWithEnvelopeIdOnly_AndDispatchesIt()
    {
        await using var slack = await FakeSlack.StartAsync();
        await using var bot = await StartBot(slack, b => b.AddEventHandler<MessageEvent, MessageRecorder>());

        await slack.WaitForSocketConnection(1);
        var open = await slack.WaitForCall("apps.connections.open");
        Assert.True(open.Ok);
        var ack = await slack.SendEnvelope("events_api", SamplePayload("py-mock.events_api.message.json"),
            retryAttempt: 1, retryReason: "timeout");

        Assert.Equal($$"""{"envelope_id":"{{ack.EnvelopeId}}"}""", ack.Raw);
        await Poll.Until(() => bot.Probe.Count("message") == 1, "the message handler");
        var (_, input, extra) = bot.Probe.Single("message");
        var (context, _) = ((EventContext, Guid))extra!;
        Assert.Equal("<@U111> Hi here!", ((MessageEvent)input).Text);
        Assert.Equal(("Ev111", "T111", SlackTransport.SocketMode), (context.EventId, context.TeamId, context.Transport));
        Assert.Equal((1, "timeout"), (context.RetryNum, context.RetryReason));
        Assert.Empty(slack.SocketErrors);
    }

    [Fact]
    public async Task EventAck_DoesNotWaitForTheHandler()
    {
        await using var slack = await FakeSlack.StartAsync();
        await using var bot = await StartBot(slack, b => b.AddEventHandler<MessageEvent, GatedMessageHandler>());

        await slack.WaitForSocketConnection(1);
        var ack = await slack.SendEnvelope("events_api", SamplePayload("py-mock.events_api.message.json"));
        Assert.Equal(0, bot.Probe.Count("gated-done"));
        Assert.True(ack.Elapsed < TimeSpan.FromSeconds(2), $"ack took {ack.Elapsed}");
        bot.Probe.Gate.SetResult();
        await Poll.Until(() => bot.Probe.Count("gated-done") == 1, "the handler after the ack");
    }

    [Fact]
    public async Task SlashCommand_ReplyGoesInTheAckPayload()
    {
        await using var slack = await FakeSlack.StartAsync();
        await using var bot = await StartBot(slack, b => b.AddSlashCommand<EchoCommand>("/hello-socket-mode"));

        await slack.WaitForSocketConnection(1);
        var ack = await slack.SendEnvelope("slash_commands",
            SamplePayload("py-mock.slash_commands.hello-socket-mode.json", p => p["text"] = "hi"), acceptsResponsePayload: true);

        Assert.Equal(("ephemeral", "echo: hi"), (ack.Payload!["response_type"]!.GetValue<string>(), ack.Payload["text"]!.GetValue<string>()));
        Assert.Equal("C111", ((SlashCommand)bot.Probe.Single("echo").Input).ChannelId);
        Assert.Empty(slack.SocketErrors);
    }

    [Fact]
    public async Task SlowSlashCommand_AcksEmpty_ThenPostsToResponseUrlThroughTheWebApiClient()
    {
        await using var slack = await FakeSlack.StartAsync();
        var channel = slack.AddChannel("general");
        await using var bot = await SlackTestApp.Start(b => b.AddSlashCommand<SlowCommand>(SlowCommand.Command), o =>
        {
            o.AppToken = slack.AppToken;
            o.BotToken = slack.BotToken;
            o.ApiUrl = slack.ApiUrl;
            o.AckDeadline = TimeSpan.FromMilliseconds(200);
        }, realSlackApi: true);

        await slack.WaitForSocketConnection(1);
        var driver = slack.OverSocketMode();
        var task = driver.SlashCommand(SlowCommand.Command, "", "U1", channel.Id);
        var reply = await Poll.Within(task, "the ack");
        Assert.Null(reply.Body);

        bot.Probe.Gate.SetResult();
        var posted = await slack.WaitForResponse(reply.ResponseUrl!);
        Assert.Equal("finished late", posted.Body!["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task ViewSubmission_ResponseActionGoesInTheAckPayload_BlockActionAckHasNone()
    {
        await using var slack = await FakeSlack.StartAsync();
        await using var bot = await StartBot(slack, b => b
            .AddViewSubmission<FormSubmission>(FormSubmission.CallbackId)
            .AddBlockAction<ButtonHandler>("a"));

        await slack.WaitForSocketConnection(1);
        var viewAck = await slack.SendEnvelope("interactive",
            """{"type":"view_submission","team":{"id":"T111"},"user":{"id":"U111"},"view":{"id":"V1","callback_id":"form","state":{"values":{}}}}""",
            acceptsResponsePayload: true);
        Assert.Equal("errors", viewAck.Payload!["response_action"]!.GetValue<string>());

        var buttonAck = await slack.SendEnvelope("interactive", SamplePayload("java-EnvelopeTest.interactive.json"));
        Assert.Null(buttonAck.Payload);
        await Poll.Until(() => bot.Probe.Count("button") == 1, "the button handler");
        Assert.Empty(slack.SocketErrors);
    }

    [Fact]
    public async Task ShortcutUnknownAndMalformedEnvelopes_AreAcked()
    {
        await using var slack = await FakeSlack.StartAsync();
        await using var bot = await StartBot(slack, b => b.AddGlobalShortcut<StartSomething>("do-something"));

        await slack.WaitForSocketConnection(1);
        await slack.SendEnvelope("interactive", SamplePayload("py-mock.interactive.shortcut.json"));
        await slack.SendEnvelope("something_new", "{}");
        await slack.SendEnvelope("events_api", """{"type":"event_callback"}""");
        await Poll.Until(() => bot.Probe.Count("global-shortcut") == 1, "the shortcut handler");
        Assert.Empty(slack.SocketErrors);
    }

    [Fact]
    public async Task DisconnectFrame_OpensAFreshConnection_ThenClosesTheOldOne()
    {
        await using var slack = await FakeSlack.StartAsync();
        await using var bot = await StartBot(slack, b => b.AddEventHandler<MessageEvent, MessageRecorder>());

        var first = await slack.WaitForSocketConnection(1);
        await slack.SendDisconnect("refresh_requested");

        var second = await slack.WaitForSocketConnection(2);
        await slack.WaitForOpenSockets(1);
        var story = $"first: open={first.IsOpen} ended={first.EndedBecause}; second: open={second.IsOpen} ended={second.EndedBecause}; " +
            $"opens={slack.CallsTo("apps.connections.open").Count}; log: " +
            string.Join(" | ", bot.Logs.Entries.Where(e => e.Category.Contains("SocketMode")).Select(e => e.Message));
        Assert.True(!first.IsOpen && second.IsOpen, story);
        Assert.True(first.EndedBecause == "NormalClosure", story); // the client closed it with a close frame
        Assert.True(slack.CallsTo("apps.connections.open").Count == 2, story);

        await slack.SendEnvelope("events_api", SamplePayload("py-mock.events_api.message.json"), connection: second);
        await Poll.Until(() => bot.Probe.Count("message") == 1, "the event over the new connection");
        Assert.Empty(slack.SocketErrors);
    }

    [Fact]
    public async Task DroppedSocket_Reconnects()
    {
        await using var slack = await FakeSlack.StartAsync();
        await using var bot = await StartBot(slack, b => b.AddEventHandler<MessageEvent, MessageRecorder>());

        await slack.WaitForSocketConnection(1);
        slack.DropSockets();

        var second = await slack.WaitForSocketConnection(2);
        await slack.SendEnvelope("events_api", SamplePayload("py-mock.events_api.message.json"), connection: second);
        await Poll.Until(() => bot.Probe.Count("message") == 1, "the event after reconnecting");
    }

    [Fact]
    public async Task ServerClosingAfterDisconnect_EndsWithOneOpenSocket()
    {
        await using var slack = await FakeSlack.StartAsync();
        await using var bot = await StartBot(slack, _ => { });

        await slack.WaitForSocketConnection(1);
        await slack.SendDisconnect("warning", closeAfter: TimeSpan.Zero);

        await slack.WaitForSocketConnection(2);
        await slack.WaitForOpenSockets(1);
    }

    [Fact]
    public async Task RateLimitedOpen_IsRetried()
    {
        await using var slack = await FakeSlack.StartAsync();
        slack.FailNext("apps.connections.open", 2, Failure.RateLimited(retryAfterSeconds: 0));
        await using var bot = await StartBot(slack, _ => { });

        await slack.WaitForSocketConnection(1);
        var calls = slack.CallsTo("apps.connections.open");
        Assert.Equal(3, calls.Count);
        Assert.Equal([429, 429, 200], calls.Select(c => c.HttpStatus));
    }

    [Fact]
    public async Task SilentSocket_IsReplaced()
    {
        await using var slack = await FakeSlack.StartAsync();
        await using var bot = await StartBot(slack, b => b.AddEventHandler<MessageEvent, MessageRecorder>(), o =>
        {
            o.SocketModePingInterval = TimeSpan.FromMilliseconds(100);
            o.SocketModeStaleTimeout = TimeSpan.FromMilliseconds(600);
        });

        await slack.WaitForSocketConnection(1);
        slack.FreezeSockets(); // pings go unanswered from now on
        await slack.WaitForSocketConnection(2);
        slack.ThawSockets();

        await slack.WaitForOpenSockets(1);
        await slack.SendEnvelope("events_api", SamplePayload("py-mock.events_api.message.json"));
        await Poll.Until(() => bot.Probe.Count("message") == 1, "the event on the replacement");
        Assert.False(slack.Sockets[0].IsOpen);
    }

    [Fact]
    public async Task WithoutAppToken_SocketModeStaysOff()
    {
        await using var slack = await FakeSlack.StartAsync();
        await using var bot = await SlackTestApp.Start(_ => { }, o => o.ApiUrl = slack.ApiUrl);

        // The HTTP endpoints answer, which shows the host is fully started.
        var response = await bot.PostEvent(Samples.Text("events/python-slack-events-api/url_challenge.json"));
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(slack.CallsTo("apps.connections.open"));
        Assert.Equal(0, slack.SocketConnectionsOpened);
    }

    [Fact]
    public async Task InvalidAppToken_KeepsRetrying_WithoutStoppingTheHostOrLoggingTheToken()
    {
        await using var slack = await FakeSlack.StartAsync();
        await using var bot = await StartBot(slack, _ => { }, o => o.AppToken = "xapp-wrong-token");

        await slack.WaitForCalls("apps.connections.open", 3);
        Assert.All(slack.CallsTo("apps.connections.open"), c => Assert.Equal("invalid_auth", c.Error));
        var response = await bot.PostEvent(Samples.Text("events/python-slack-events-api/url_challenge.json"));
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(bot.Logs.Entries, e => e.Message.Contains("invalid_auth"));
        Assert.DoesNotContain(bot.Logs.Entries, e => e.Message.Contains("xapp-wrong-token"));
    }

    [Fact]
    public async Task TooManyWebsockets_BacksOff_ThenConnectsWhenASlotFrees()
    {
        await using var slack = await FakeSlack.StartAsync();
        // Ten other connections (other instances of the app) take every slot Slack allows.
        var others = new List<System.Net.WebSockets.ClientWebSocket>();
        for (var i = 0; i < 10; i++) others.Add((await RawSocketMode.Connect(slack)).Socket);
        await slack.WaitForOpenSockets(10);

        await using var bot = await StartBot(slack, _ => { });
        // After five refusals the backoff has reached its 200 ms cap (it has no jitter), so five more attempts
        // span at least four full waits; a hot loop would make them within milliseconds. Counting attempts in
        // a fixed window instead was flaky on a loaded machine, where one attempt can take longer than the window.
        await Poll.Until(() => slack.SocketConnectionsOpened >= 15, "refused attempts");
        var before = slack.CallsTo("apps.connections.open").Count;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await Poll.Until(() => slack.CallsTo("apps.connections.open").Count >= before + 5, "five more attempts");
        Assert.True(clock.ElapsedMilliseconds >= 4 * 200 - 20, $"five attempts took only {clock.ElapsedMilliseconds} ms");
        Assert.All(slack.Sockets.Skip(10), s => Assert.Equal("too_many_websockets", s.EndedBecause));

        others[0].Abort();
        await Poll.Until(() => slack.Sockets.Skip(10).Any(s => s.IsOpen), "the bot's connection once a slot is free");
        foreach (var o in others) o.Dispose();
    }
}
