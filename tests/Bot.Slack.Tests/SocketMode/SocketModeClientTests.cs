using System.Text.Json;
using System.Text.Json.Nodes;
using Bot.Slack.Events;
using Bot.Slack.Handlers;
using Bot.Slack.Interactivity;
using Bot.Slack.Tests.Support;

namespace Bot.Slack.Tests.SocketMode;

/// <summary>The Socket Mode client against a WebSocket server on loopback.</summary>
public class SocketModeClientTests
{
    private static Task<SlackTestApp> StartBot(SocketModeTestServer server, Action<Bot.Slack.Dispatch.SlackBuilder> handlers,
        Action<SlackOptions>? configure = null) =>
        SlackTestApp.Start(handlers, o =>
        {
            o.AppToken = SocketModeTestServer.AppToken;
            o.ApiUrl = server.ApiUrl.ToString();
            o.SocketModeInitialBackoff = TimeSpan.FromMilliseconds(20);
            o.SocketModeMaxBackoff = TimeSpan.FromMilliseconds(200);
            configure?.Invoke(o);
        });

    private static string Envelope(string sample, Action<JsonNode>? edit = null)
    {
        var node = JsonNode.Parse(Samples.Text("socketmode/" + sample))!;
        edit?.Invoke(node);
        return node.ToJsonString();
    }

    [Fact]
    public async Task Connects_WithAppToken_AcksEvent_AndDispatchesIt()
    {
        await using var server = await SocketModeTestServer.Start();
        await using var bot = await StartBot(server, b => b.AddEventHandler<MessageEvent, MessageRecorder>());

        var connection = await server.WaitForConnection(1);
        Assert.Equal("Bearer " + SocketModeTestServer.AppToken, Assert.Single(server.AuthorizationHeaders));
        await connection.Send(Envelope("py-mock.events_api.message.json", n =>
        {
            n["retry_attempt"] = 1;
            n["retry_reason"] = "timeout";
        }));

        var ack = await SocketModeTestServer.WaitForAck(connection, "ac2cfd40-6f8c-4d5e-a1ad-646e532baa19");
        Assert.Equal("""{"envelope_id":"ac2cfd40-6f8c-4d5e-a1ad-646e532baa19"}""", ack.GetRawText());

        await Poll.Until(() => bot.Probe.Count("message") == 1, "the message handler");
        var (_, input, extra) = bot.Probe.Single("message");
        var (context, _) = ((EventContext, Guid))extra!;
        Assert.Equal("<@U111> Hi here!", ((MessageEvent)input).Text);
        Assert.Equal(("Ev111", "T111", SlackTransport.SocketMode), (context.EventId, context.TeamId, context.Transport));
        Assert.Equal((1, "timeout"), (context.RetryNum, context.RetryReason));
    }

    [Fact]
    public async Task SlashCommand_ReplyGoesInTheAckPayload()
    {
        await using var server = await SocketModeTestServer.Start();
        await using var bot = await StartBot(server, b => b.AddSlashCommand<EchoCommand>("/hello-socket-mode"));

        var connection = await server.WaitForConnection(1);
        await connection.Send(Envelope("py-mock.slash_commands.hello-socket-mode.json", n => n["payload"]!["text"] = "hi"));

        var ack = await SocketModeTestServer.WaitForAck(connection, "1d3c79ab-0ffb-41f3-a080-d19e85f53649");
        var payload = ack.GetProperty("payload");
        Assert.Equal(("ephemeral", "echo: hi"), (payload.GetProperty("response_type").GetString(), payload.GetProperty("text").GetString()));
        Assert.Equal("C111", ((SlashCommand)bot.Probe.Single("echo").Input).ChannelId);
    }

    [Fact]
    public async Task ViewSubmission_ResponseActionGoesInTheAckPayload_BlockActionAckHasNone()
    {
        await using var server = await SocketModeTestServer.Start();
        await using var bot = await StartBot(server, b => b
            .AddViewSubmission<FormSubmission>(FormSubmission.CallbackId)
            .AddBlockAction<ButtonHandler>("a"));

        var connection = await server.WaitForConnection(1);
        await connection.Send("""
            {"envelope_id":"env-view","type":"interactive","accepts_response_payload":true,
             "payload":{"type":"view_submission","team":{"id":"T111"},"user":{"id":"U111"},
                        "view":{"id":"V1","callback_id":"form","state":{"values":{}}}}}
            """);
        await connection.Send(Samples.Text("socketmode/java-EnvelopeTest.interactive.json"));

        var viewAck = await SocketModeTestServer.WaitForAck(connection, "env-view");
        Assert.Equal("errors", viewAck.GetProperty("payload").GetProperty("response_action").GetString());
        var buttonAck = await SocketModeTestServer.WaitForAck(connection, "xxx-11-222-yyy-zzz");
        Assert.False(buttonAck.TryGetProperty("payload", out _));
        await Poll.Until(() => bot.Probe.Count("button") == 1, "the button handler");
    }

    [Fact]
    public async Task GlobalShortcutAndUnknownEnvelopes_AreAcked()
    {
        await using var server = await SocketModeTestServer.Start();
        await using var bot = await StartBot(server, b => b.AddGlobalShortcut<StartSomething>("do-something"));

        var connection = await server.WaitForConnection(1);
        await connection.Send(Samples.Text("socketmode/py-mock.interactive.shortcut.json"));
        await connection.Send("""{"envelope_id":"env-new","type":"something_new","payload":{}}""");
        await connection.Send("""{"envelope_id":"env-bad","type":"events_api","payload":{"type":"event_callback"}}""");

        await SocketModeTestServer.WaitForAck(connection, "57d6a792-4d35-4d0b-b6aa-3361493e1caf");
        await SocketModeTestServer.WaitForAck(connection, "env-new");
        await SocketModeTestServer.WaitForAck(connection, "env-bad");
        await Poll.Until(() => bot.Probe.Count("global-shortcut") == 1, "the shortcut handler");
    }

    [Fact]
    public async Task DisconnectFrame_OpensAFreshConnection_ThenClosesTheOldOne()
    {
        await using var server = await SocketModeTestServer.Start();
        await using var bot = await StartBot(server, b => b.AddEventHandler<MessageEvent, MessageRecorder>());

        var first = await server.WaitForConnection(1);
        await first.Send("""{"type":"disconnect","reason":"refresh_requested","debug_info":{"host":"test"}}""");

        var second = await server.WaitForConnection(2);
        await Poll.Within(first.Finished.Task, "the old connection to close");
        Assert.True(first.ClientClosed, "the client should close the old socket with a close frame; " + first.EndedBy + string.Join("\n", bot.Logs.Entries.Where(e => e.Category.Contains("SocketMode")).Select(e => e.Message + e.Exception)));
        Assert.Equal(2, server.OpenCalls);

        await second.Send(Envelope("py-mock.events_api.message.json"));
        await SocketModeTestServer.WaitForAck(second, "ac2cfd40-6f8c-4d5e-a1ad-646e532baa19");
        await Poll.Until(() => bot.Probe.Count("message") == 1, "the event over the new connection");
    }

    [Fact]
    public async Task DroppedSocket_Reconnects()
    {
        await using var server = await SocketModeTestServer.Start();
        await using var bot = await StartBot(server, b => b.AddEventHandler<MessageEvent, MessageRecorder>());

        var first = await server.WaitForConnection(1);
        first.Socket.Abort();

        var second = await server.WaitForConnection(2);
        await second.Send(Envelope("py-mock.events_api.message.json"));
        await SocketModeTestServer.WaitForAck(second, "ac2cfd40-6f8c-4d5e-a1ad-646e532baa19");
    }

    [Fact]
    public async Task ServerClose_Reconnects()
    {
        await using var server = await SocketModeTestServer.Start();
        await using var bot = await StartBot(server, _ => { });

        var first = await server.WaitForConnection(1);
        await first.Socket.CloseOutputAsync(System.Net.WebSockets.WebSocketCloseStatus.EndpointUnavailable, "going away", CancellationToken.None);

        await server.WaitForConnection(2);
    }

    [Fact]
    public async Task RateLimitedOpen_IsRetried()
    {
        await using var server = await SocketModeTestServer.Start();
        server.RateLimitNextOpens(2);
        await using var bot = await StartBot(server, _ => { });

        await server.WaitForConnection(1);
        Assert.Equal(3, server.OpenCalls);
    }

    [Fact]
    public async Task SilentSocket_IsReplaced()
    {
        await using var server = await SocketModeTestServer.Start();
        server.MuteNextConnections(1);
        await using var bot = await StartBot(server, _ => { }, o =>
        {
            o.SocketModePingInterval = TimeSpan.FromMilliseconds(100);
            o.SocketModeStaleTimeout = TimeSpan.FromMilliseconds(600);
        });

        await server.WaitForConnection(1);
        var second = await server.WaitForConnection(2);
        Assert.True(second.Responsive);
    }

    [Fact]
    public async Task WithoutAppToken_SocketModeStaysOff()
    {
        await using var server = await SocketModeTestServer.Start();
        await using var bot = await SlackTestApp.Start(_ => { }, o => o.ApiUrl = server.ApiUrl.ToString());

        // The HTTP endpoints answer, which shows the host is fully started.
        var response = await bot.PostEvent(Samples.Text("events/python-slack-events-api/url_challenge.json"));
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, server.OpenCalls);
    }

    [Fact]
    public async Task InvalidAppToken_KeepsRetrying_WithoutStoppingTheHost()
    {
        await using var server = await SocketModeTestServer.Start();
        await using var bot = await StartBot(server, _ => { }, o => o.AppToken = "xapp-wrong");

        await Poll.Until(() => server.OpenCalls >= 3, "repeated apps.connections.open attempts");
        var response = await bot.PostEvent(Samples.Text("events/python-slack-events-api/url_challenge.json"));
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain(bot.Logs.Entries, e => e.Message.Contains("xapp-wrong"));
    }
}
