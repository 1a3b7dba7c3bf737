using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Bot.Slack.Testing;

// The Socket Mode side: apps.connections.open hands out single-use tickets; /socket is the WebSocket that
// says hello, carries envelopes and expects an ack for each.
public sealed partial class FakeSlack
{
    /// <summary>Slack allows at most 10 open connections per app.</summary>
    private const int MaxSocketConnections = 10;

    private readonly HashSet<string> _tickets = new(StringComparer.Ordinal);
    private readonly List<FakeSocketConnection> _sockets = [];
    private readonly Dictionary<string, (TaskCompletionSource<SocketAck> Ack, Stopwatch Clock, int Connection)> _pendingAcks = new(StringComparer.Ordinal);
    private readonly List<string> _socketErrors = [];
    private TaskCompletionSource _thawed = CompletedSource();

    private void RegisterApps() => _handlers["apps.connections.open"] = _ =>
    {
        var ticket = Guid.NewGuid().ToString("N");
        _tickets.Add(ticket);
        var ws = "ws" + BaseUrl["http".Length..];
        return Ok(new JsonObject { ["url"] = $"{ws}socket?ticket={ticket}&app_id={AppId}" });
    };

    /// <summary>Connections open now.</summary>
    public int SocketConnections
    {
        get { lock (_gate) return _sockets.Count(s => s.IsOpen); }
    }

    /// <summary>Connections accepted since the start (reconnects count).</summary>
    public int SocketConnectionsOpened
    {
        get { lock (_gate) return _sockets.Count; }
    }

    public IReadOnlyList<FakeSocketConnection> Sockets
    {
        get { lock (_gate) return [.. _sockets]; }
    }

    /// <summary>Protocol mistakes the client made: bad acks, acks for unknown envelopes, unexpected frames.</summary>
    public IReadOnlyList<string> SocketErrors
    {
        get { lock (_gate) return [.. _socketErrors]; }
    }

    /// <summary>Waits for the <paramref name="number"/>-th connection ever accepted (1 = the first), e.g. 2 to see a
    /// reconnect, and returns it.</summary>
    public Task<FakeSocketConnection> WaitForSocketConnection(int number = 1, TimeSpan? timeout = null) =>
        WaitUntil(
            () => { lock (_gate) return _sockets.Count >= number ? _sockets[number - 1] : null; },
            timeout,
            () => $"Only {SocketConnectionsOpened} Socket Mode connection(s) were opened, waited for number {number}.");

    /// <summary>Waits until exactly <paramref name="count"/> connections are open (e.g. 0 after a close).</summary>
    public Task WaitForOpenSockets(int count, TimeSpan? timeout = null) =>
        WaitUntil(
            () => SocketConnections == count ? (object)true : null,
            timeout,
            () => $"{SocketConnections} Socket Mode connection(s) open, expected {count}.");

    /// <summary>Sends an envelope to one open connection (Slack picks one at random) and waits for its ack.
    /// TimeoutException when the client does not ack in time (Slack would redeliver after 3 s).</summary>
    public async Task<SocketAck> SendEnvelope(string type, string payloadJson, bool acceptsResponsePayload = false,
        TimeSpan? timeout = null, int retryAttempt = 0, string retryReason = "", FakeSocketConnection? connection = null)
    {
        var payload = JsonNode.Parse(payloadJson);
        var target = connection ?? await WaitUntil(
            () => { lock (_gate) return _sockets.Where(s => s.IsOpen).OrderBy(_ => Random.Shared.Next()).FirstOrDefault(); },
            timeout,
            () => "No open Socket Mode connection to send an envelope to.");
        var envelopeId = Guid.NewGuid().ToString();
        var envelope = new JsonObject
        {
            ["envelope_id"] = envelopeId,
            ["payload"] = payload,
            ["type"] = type,
            ["accepts_response_payload"] = acceptsResponsePayload,
        };
        if (type == "events_api")
        {
            envelope["retry_attempt"] = retryAttempt;
            envelope["retry_reason"] = retryReason;
        }
        var ack = new TaskCompletionSource<SocketAck>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate) _pendingAcks[envelopeId] = (ack, Stopwatch.StartNew(), target.Number);
        var limit = timeout ?? _options.DefaultTimeout;
        await target.Send(envelope.ToJsonString()).WaitAsync(limit); // a frozen socket takes no bytes
        try
        {
            return await ack.Task.WaitAsync(limit);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"No ack for {type} envelope {envelopeId} within {limit.TotalSeconds:0.#} s " +
                $"(connection {target.Number}). Socket errors: {string.Join("; ", SocketErrors)}");
        }
        finally
        {
            lock (_gate) _pendingAcks.Remove(envelopeId);
        }
    }

    /// <summary>Sends a disconnect frame (Slack's refresh_requested, warning, too_many_websockets) to every open
    /// connection; closes them after <paramref name="closeAfter"/> when given, as Slack eventually does.</summary>
    public async Task SendDisconnect(string reason = "refresh_requested", TimeSpan? closeAfter = null)
    {
        var open = Sockets.Where(s => s.IsOpen).ToList();
        foreach (var socket in open)
            await socket.Send(DisconnectFrame(reason));
        if (closeAfter is { } delay)
        {
            await Task.Delay(delay);
            foreach (var socket in open.Where(s => s.IsOpen))
                await CloseQuietly(socket, "server_closed");
        }
    }

    /// <summary>Aborts every connection's TCP stream without a close handshake (a network failure).</summary>
    public void DropSockets()
    {
        foreach (var socket in Sockets.Where(s => s.IsOpen))
        {
            lock (_gate) socket.EndedBecause ??= "aborted";
            socket.Context.Abort();
        }
    }

    /// <summary>Stops every socket's bytes in both directions until <see cref="ThawSockets"/>: pings go unanswered,
    /// acks are not seen, envelopes wait. A connection that is open but dead, for watchdog tests.</summary>
    public void FreezeSockets()
    {
        lock (_gate) if (_thawed.Task.IsCompleted) _thawed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public void ThawSockets()
    {
        lock (_gate) _thawed.TrySetResult();
    }

    private void AbortSockets()
    {
        ThawSockets();
        DropSockets();
    }

    /// <summary>The WebSocket handshake done here rather than by the middleware, so the socket runs over a
    /// <see cref="GatedStream"/> that <see cref="FreezeSockets"/> can pause.</summary>
    private async Task<WebSocket> AcceptGated(HttpContext ctx)
    {
        var key = ctx.Request.Headers.SecWebSocketKey.ToString();
        var accept = Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")));
        ctx.Response.Headers.Connection = "Upgrade";
        ctx.Response.Headers.Upgrade = "websocket";
        ctx.Response.Headers.SecWebSocketAccept = accept;
        var stream = await ctx.Features.Get<IHttpUpgradeFeature>()!.UpgradeAsync();
        var gated = new GatedStream(stream, () => { lock (_gate) return _thawed.Task; }, ctx.RequestAborted);
        return WebSocket.CreateFromStream(gated, new WebSocketCreationOptions { IsServer = true, KeepAliveInterval = TimeSpan.Zero });
    }

    private async Task HandleSocket(HttpContext ctx)
    {
        if (!ctx.WebSockets.IsWebSocketRequest)
        {
            ctx.Response.StatusCode = 400;
            return;
        }
        var ticket = ctx.Request.Query["ticket"].ToString();
        lock (_gate)
        {
            // Tickets are single-use: a client must call apps.connections.open again to reconnect.
            if (!_tickets.Remove(ticket))
            {
                ctx.Response.StatusCode = 401;
                return;
            }
        }
        using var ws = await AcceptGated(ctx);
        FakeSocketConnection connection;
        int open;
        lock (_gate)
        {
            connection = new FakeSocketConnection(_sockets.Count + 1, ctx, ws, _time.GetUtcNow());
            _sockets.Add(connection);
            open = _sockets.Count(s => s.IsOpen);
        }
        Signal();
        try
        {
            if (open > MaxSocketConnections)
            {
                await connection.Send(DisconnectFrame("too_many_websockets"));
                await CloseQuietly(connection, "too_many_websockets");
                return;
            }
            await connection.Send(HelloFrame(open));
            await ReceiveLoop(connection);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
        {
            lock (_gate) connection.EndedBecause ??= "aborted";
        }
        finally
        {
            lock (_gate)
            {
                connection.IsOpen = false;
                // An envelope whose connection ended unacked fails now rather than at its timeout
                // (Slack would redeliver it; a test can send it again).
                foreach (var (id, pending) in _pendingAcks.Where(p => p.Value.Connection == connection.Number).ToList())
                {
                    _pendingAcks.Remove(id);
                    pending.Ack.TrySetException(new IOException(
                        $"Socket Mode connection {connection.Number} ended ({connection.EndedBecause ?? "closed"}) before envelope {id} was acked."));
                }
            }
            Signal();
        }
    }

    private async Task ReceiveLoop(FakeSocketConnection connection)
    {
        var buffer = new byte[64 * 1024];
        var message = new MemoryStream();
        while (connection.Socket.State == WebSocketState.Open)
        {
            var result = await connection.Socket.ReceiveAsync(buffer, connection.Context.RequestAborted);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                lock (_gate) connection.EndedBecause ??= result.CloseStatus?.ToString() ?? "closed";
                await connection.Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                return;
            }
            message.Write(buffer, 0, result.Count);
            if (!result.EndOfMessage) continue;
            var text = Encoding.UTF8.GetString(message.ToArray());
            message.SetLength(0);
            OnClientFrame(connection, text);
        }
    }

    /// <summary>The only frames a Socket Mode client sends are acks: {"envelope_id": id} plus an optional payload.</summary>
    private void OnClientFrame(FakeSocketConnection connection, string text)
    {
        JsonObject? frame = null;
        try
        {
            frame = JsonNode.Parse(text) as JsonObject;
        }
        catch (JsonException)
        {
        }
        var id = frame?["envelope_id"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
        lock (_gate)
        {
            if (frame is null || id is null)
            {
                _socketErrors.Add($"connection {connection.Number}: not an ack: {text}");
            }
            else if (frame.Select(p => p.Key).Except(["envelope_id", "payload"]).FirstOrDefault() is { } extra)
            {
                _socketErrors.Add($"connection {connection.Number}: ack for {id} has an unexpected field \"{extra}\": {text}");
            }
            else if (!_pendingAcks.TryGetValue(id, out var pending))
            {
                _socketErrors.Add($"connection {connection.Number}: ack for an unknown or already acked envelope {id}");
            }
            else
            {
                _pendingAcks.Remove(id);
                pending.Ack.TrySetResult(new SocketAck(id, frame["payload"]?.DeepClone(), text, pending.Clock.Elapsed, connection.Number));
            }
        }
        Signal();
    }

    private string HelloFrame(int numConnections) => new JsonObject
    {
        ["type"] = "hello",
        ["num_connections"] = numConnections,
        ["debug_info"] = new JsonObject { ["host"] = "applink-fake", ["build_number"] = 1, ["approximate_connection_time"] = 18060 },
        ["connection_info"] = new JsonObject { ["app_id"] = AppId },
    }.ToJsonString();

    private string DisconnectFrame(string reason) => new JsonObject
    {
        ["type"] = "disconnect",
        ["reason"] = reason,
        ["num_connections"] = SocketConnections,
        ["debug_info"] = new JsonObject { ["host"] = "applink-fake" },
        ["connection_info"] = new JsonObject { ["app_id"] = AppId },
    }.ToJsonString();

    private async Task CloseQuietly(FakeSocketConnection connection, string because)
    {
        lock (_gate) connection.EndedBecause ??= because;
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await connection.Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, because, cts.Token);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            connection.Context.Abort();
        }
    }

    private static TaskCompletionSource CompletedSource()
    {
        var source = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        source.SetResult();
        return source;
    }
}
