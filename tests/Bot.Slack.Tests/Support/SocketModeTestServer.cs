using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bot.Slack.Tests.Support;

/// <summary>A small Socket Mode server on loopback: apps.connections.open hands out ws:// URLs on the same
/// server; each connection gets hello, and the test sends envelopes, disconnect frames or drops the socket.</summary>
public sealed class SocketModeTestServer : IAsyncDisposable
{
    public const string AppToken = "xapp-1-test";

    private readonly WebApplication _app;
    private int _openCalls;
    private int _rateLimitedLeft;
    private int _muteLeft;

    public sealed class Connection(int number, WebSocket socket)
    {
        public int Number => number;
        public WebSocket Socket => socket;
        public ConcurrentQueue<JsonElement> Received { get; } = new();
        public TaskCompletionSource Finished { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        /// <summary>Set when the client sent a close frame.</summary>
        public volatile bool ClientClosed;
        /// <summary>How the server's read loop ended, for failure messages.</summary>
        public string? EndedBy;
        /// <summary>When false the server neither reads nor answers pings: the connection looks dead.</summary>
        public volatile bool Responsive = true;
        private readonly SemaphoreSlim _send = new(1, 1);

        public async Task Send(string json)
        {
            await _send.WaitAsync();
            try { await socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, true, CancellationToken.None); }
            finally { _send.Release(); }
        }
    }

    public ConcurrentQueue<Connection> Connections { get; } = new();
    public int OpenCalls => _openCalls;
    public ConcurrentQueue<string?> AuthorizationHeaders { get; } = new();
    public Uri ApiUrl { get; private set; } = null!;

    private SocketModeTestServer(WebApplication app) => _app = app;

    /// <summary>apps.connections.open answers ok:false "ratelimited" (HTTP 429 with Retry-After: 0) this many times first.</summary>
    public void RateLimitNextOpens(int count) => _rateLimitedLeft = count;

    /// <summary>The next connections get hello and then silence: nothing read, no pongs, like a dead link.</summary>
    public void MuteNextConnections(int count) => _muteLeft = count;

    public static async Task<SocketModeTestServer> Start()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new SocketModeTestServer(app);
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.Zero });
        app.MapPost("/api/apps.connections.open", (HttpContext http) => server.Open(http));
        app.Map("/link", (HttpContext http) => server.Link(http));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.ApiUrl = new Uri(address + "/api/");
        return server;
    }

    private IResult Open(HttpContext http)
    {
        var n = Interlocked.Increment(ref _openCalls);
        AuthorizationHeaders.Enqueue(http.Request.Headers.Authorization.ToString());
        if (http.Request.Headers.Authorization != "Bearer " + AppToken)
            return Results.Json(new { ok = false, error = "invalid_auth" });
        if (Interlocked.Decrement(ref _rateLimitedLeft) >= 0)
        {
            http.Response.Headers.RetryAfter = "0";
            return Results.Json(new { ok = false, error = "ratelimited" }, statusCode: 429);
        }
        var ws = ApiUrl.ToString().Replace("http://", "ws://").Replace("/api/", "/link");
        return Results.Json(new { ok = true, url = $"{ws}?ticket={n}&app_id=A111" });
    }

    private async Task Link(HttpContext http)
    {
        if (!http.WebSockets.IsWebSocketRequest)
        {
            http.Response.StatusCode = 400;
            return;
        }
        using var socket = await http.WebSockets.AcceptWebSocketAsync();
        var connection = new Connection(Connections.Count + 1, socket) { Responsive = Interlocked.Decrement(ref _muteLeft) < 0 };
        Connections.Enqueue(connection);
        await connection.Send(JsonSerializer.Serialize(new
        {
            type = "hello",
            num_connections = Connections.Count,
            debug_info = new { host = "test" },
            connection_info = new { app_id = "A111" },
        }));
        var buffer = new byte[1 << 20];
        try
        {
            while (socket.State == WebSocketState.Open && !http.RequestAborted.IsCancellationRequested)
            {
                if (!connection.Responsive)
                {
                    await Task.Delay(20);
                    continue;
                }
                var result = await socket.ReceiveAsync(buffer.AsMemory(), http.RequestAborted);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    connection.ClientClosed = true;
                    break;
                }
                var length = result.Count;
                while (!result.EndOfMessage)
                {
                    result = await socket.ReceiveAsync(buffer.AsMemory(length), http.RequestAborted);
                    length += result.Count;
                }
                connection.Received.Enqueue(JsonDocument.Parse(buffer.AsMemory(0, length)).RootElement.Clone());
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            connection.EndedBy = ex.GetType().Name + ": " + ex.Message;
        }
        connection.EndedBy ??= $"state {socket.State}, aborted {http.RequestAborted.IsCancellationRequested}, client closed {connection.ClientClosed}";
        connection.Finished.TrySetResult();
    }

    /// <summary>Waits for the nth connection (1-based) to exist.</summary>
    public async Task<Connection> WaitForConnection(int number, int timeoutMs = 10_000)
    {
        await Poll.Until(() => Connections.Count >= number, $"Socket Mode connection #{number}", timeoutMs);
        return Connections.ElementAt(number - 1);
    }

    /// <summary>Waits for the ack of an envelope on a connection and returns it.</summary>
    public static async Task<JsonElement> WaitForAck(Connection connection, string envelopeId, int timeoutMs = 10_000)
    {
        JsonElement found = default;
        await Poll.Until(() =>
        {
            foreach (var m in connection.Received)
                if (m.TryGetProperty("envelope_id", out var id) && id.GetString() == envelopeId) { found = m; return true; }
            return false;
        }, $"ack of {envelopeId}", timeoutMs);
        return found;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var c in Connections) c.Socket.Abort();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
