using System.Net.WebSockets;
using System.Text.Json.Nodes;
using Bot.Slack.Testing;
using static Bot.Slack.Tests.Support.RawSocketMode;

namespace Bot.Slack.Tests;

/// <summary>The fake's Socket Mode server, driven with a plain ClientWebSocket.</summary>
public class FakeSlackSocketModeTests : IAsyncLifetime
{
    private FakeSlack _slack = null!;

    public async Task InitializeAsync() => _slack = await FakeSlack.StartAsync();

    public async Task DisposeAsync() => await _slack.DisposeAsync();

    [Fact]
    public async Task ConnectionsOpen_NeedsTheAppToken()
    {
        var withBotToken = await OpenConnection(_slack, _slack.BotToken);
        var withAppToken = await OpenConnection(_slack, _slack.AppToken);

        Assert.Equal("not_allowed_token_type", withBotToken["error"]!.GetValue<string>());
        Assert.StartsWith("ws://127.0.0.1:", withAppToken["url"]!.GetValue<string>());
    }

    [Fact]
    public async Task Connecting_SaysHello_AndCountsTheConnection()
    {
        var (socket, hello) = await Connect(_slack);
        using var _ = socket;

        Assert.Equal("hello", hello["type"]!.GetValue<string>());
        Assert.Equal(1, hello["num_connections"]!.GetValue<int>());
        Assert.Equal(_slack.AppId, hello["connection_info"]!["app_id"]!.GetValue<string>());
        Assert.Equal(1, (await _slack.WaitForSocketConnection(1)).Number);
        Assert.Equal(1, _slack.SocketConnections);
    }

    [Fact]
    public async Task Tickets_AreSingleUse()
    {
        var url = await OpenUrl(_slack);
        using var first = new ClientWebSocket();
        await first.ConnectAsync(new Uri(url), CancellationToken.None);
        using var second = new ClientWebSocket();

        await Assert.ThrowsAnyAsync<WebSocketException>(() => second.ConnectAsync(new Uri(url), CancellationToken.None));
        Assert.Equal(1, _slack.SocketConnectionsOpened);
    }

    [Fact]
    public async Task SendEnvelope_ReturnsTheClientsAck_WithItsPayload()
    {
        var (socket, _) = await Connect(_slack);
        using var __ = socket;

        var sending = _slack.SendEnvelope("slash_commands", """{"command":"/incident","text":"db down"}""", acceptsResponsePayload: true);
        var envelope = await Receive(socket);
        await Send(socket, new JsonObject
        {
            ["envelope_id"] = envelope["envelope_id"]!.GetValue<string>(),
            ["payload"] = new JsonObject { ["text"] = "Declaring" },
        }.ToJsonString());
        var ack = await sending;

        Assert.Equal("slash_commands", envelope["type"]!.GetValue<string>());
        Assert.True(envelope["accepts_response_payload"]!.GetValue<bool>());
        Assert.Equal("/incident", envelope["payload"]!["command"]!.GetValue<string>());
        Assert.Equal(envelope["envelope_id"]!.GetValue<string>(), ack.EnvelopeId);
        Assert.Equal("Declaring", ack.Payload!["text"]!.GetValue<string>());
        Assert.Empty(_slack.SocketErrors);
    }

    [Fact]
    public async Task AWrongAck_IsRecordedAsAnError_AndTheEnvelopeTimesOut()
    {
        var (socket, _) = await Connect(_slack);
        using var __ = socket;

        var sending = _slack.SendEnvelope("events_api", """{"type":"event_callback","event_id":"Ev1"}""", timeout: TimeSpan.FromSeconds(1));
        var envelope = await Receive(socket);
        await Send(socket, """{"envelope":"not-the-field"}""");
        await Send(socket, """{"envelope_id":"someone-else"}""");

        await Assert.ThrowsAsync<TimeoutException>(() => sending);
        Assert.Equal(0, envelope["retry_attempt"]!.GetValue<int>());
        Assert.Equal(2, _slack.SocketErrors.Count);
        Assert.Contains("not an ack", _slack.SocketErrors[0]);
        Assert.Contains("unknown", _slack.SocketErrors[1]);
    }

    [Fact]
    public async Task SendDisconnect_SendsSlacksFrame()
    {
        var (socket, _) = await Connect(_slack);
        using var __ = socket;

        await _slack.SendDisconnect("refresh_requested");
        var frame = await Receive(socket);

        Assert.Equal("disconnect", frame["type"]!.GetValue<string>());
        Assert.Equal("refresh_requested", frame["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task DropSockets_AbortsWithoutACloseHandshake()
    {
        var (socket, _) = await Connect(_slack);
        using var __ = socket;

        _slack.DropSockets();
        var error = await Record.ExceptionAsync(() => Receive(socket));

        Assert.IsAssignableFrom<WebSocketException>(error);
        await _slack.WaitForOpenSockets(0);
        Assert.Equal("aborted", _slack.Sockets.Single().EndedBecause);
    }

    [Fact]
    public async Task AReconnect_IsCountedAsASecondConnection()
    {
        var (first, _) = await Connect(_slack);
        using var __ = first;
        var (second, hello) = await Connect(_slack);
        using var ___ = second;

        Assert.Equal(2, hello["num_connections"]!.GetValue<int>());
        Assert.Equal(2, (await _slack.WaitForSocketConnection(2)).Number);
        await first.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
        await _slack.WaitForOpenSockets(1);
        Assert.Equal(2, _slack.SocketConnectionsOpened);
    }

    [Fact]
    public async Task AnEnvelopeOnADroppedConnection_FailsAtOnce_NotAtItsTimeout()
    {
        var (socket, _) = await Connect(_slack);
        using var __ = socket;
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var sending = _slack.SendEnvelope("events_api", """{"type":"event_callback"}""", timeout: TimeSpan.FromSeconds(30));
        await Receive(socket);
        _slack.DropSockets();

        await Assert.ThrowsAsync<IOException>(() => sending);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task AFrozenSocket_StopsAnsweringPings_SoAClientWatchdogSeesItDead()
    {
        var url = await OpenUrl(_slack);
        using var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.FromMilliseconds(200);
        socket.Options.KeepAliveTimeout = TimeSpan.FromMilliseconds(600);
        await socket.ConnectAsync(new Uri(url), CancellationToken.None);
        await Receive(socket); // hello

        var clock = System.Diagnostics.Stopwatch.StartNew();
        _slack.FreezeSockets();
        var error = await Record.ExceptionAsync(() => Receive(socket));

        Assert.NotNull(error);
        Assert.Equal(WebSocketState.Aborted, socket.State);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(8), $"took {clock.Elapsed}: the receive deadline ended it, not the keep-alive timeout");
    }
}
