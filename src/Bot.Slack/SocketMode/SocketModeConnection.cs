using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json;
using Bot.Slack.Parsing;
using Microsoft.Extensions.Logging;

namespace Bot.Slack.SocketMode;

/// <summary>Why a connection stopped being the one to use. Refresh: Slack sent a disconnect frame, so a new
/// connection should be opened before this one is closed; otherwise the socket is gone.</summary>
internal sealed record ConnectionEnd(bool Refresh, string Reason);

/// <summary>One Socket Mode WebSocket: a receive loop that hands envelopes to the client (which never runs a
/// handler on this loop, so a slow handler cannot hold the socket), and serialized sends for acks.</summary>
internal sealed class SocketModeConnection(
    ClientWebSocket socket,
    int id,
    Func<SocketModeFrame, SocketModeConnection, Task> onEnvelope,
    ILogger log) : IAsyncDisposable
{
    // Slack's envelopes are well under this; a larger frame means something is wrong with the peer.
    private const int MaxFrameBytes = 8 * 1024 * 1024;

    private readonly TaskCompletionSource _hello = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<ConnectionEnd> _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<string> _gone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private Task _receiving = Task.CompletedTask;

    public int Id => id;

    /// <summary>Completes when Slack's hello arrives.</summary>
    public Task Hello => _hello.Task;

    /// <summary>Completes on a disconnect frame, a close, an error or a stale socket (whichever comes first).</summary>
    public Task<ConnectionEnd> Ended => _ended.Task;

    /// <summary>Completes (with the reason) only when the socket itself is gone, not on a disconnect frame.</summary>
    public Task<string> Gone => _gone.Task;

    public void Start() => _receiving = Task.Run(ReceiveLoop);

    private async Task ReceiveLoop()
    {
        var buffer = new ArrayBufferWriter<byte>(16 * 1024);
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                buffer.Clear();
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await socket.ReceiveAsync(buffer.GetMemory(8 * 1024), CancellationToken.None).ConfigureAwait(false);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        End(false, $"closed by Slack ({socket.CloseStatus} {socket.CloseStatusDescription})");
                        return;
                    }
                    buffer.Advance(result.Count);
                    if (buffer.WrittenCount > MaxFrameBytes)
                    {
                        End(false, "frame too large");
                        socket.Abort();
                        return;
                    }
                } while (!result.EndOfMessage);

                if (result.MessageType == WebSocketMessageType.Text) OnFrame(buffer.WrittenSpan);
            }
            End(false, $"socket {socket.State}");
        }
        catch (Exception ex)
        {
            // Includes the keep-alive timeout: no pong within SocketModeStaleTimeout aborts the socket.
            End(false, ex.GetType().Name + ": " + ex.Message);
        }
    }

    private void OnFrame(ReadOnlySpan<byte> json)
    {
        SocketModeFrame frame;
        try
        {
            frame = SocketModeFrame.Parse(json);
        }
        catch (SlackParseException ex)
        {
            log.LogWarning("Socket Mode connection {Id}: ignoring a frame: {Reason}", id, ex.Message);
            return;
        }

        switch (frame.Type)
        {
            case SocketModeFrame.Hello:
                log.LogInformation("Socket Mode connection {Id} ready ({Connections} open for this app)", id, frame.NumConnections);
                _hello.TrySetResult();
                frame.Dispose();
                break;
            case SocketModeFrame.Disconnect:
                // refresh_requested / warning: Slack is recycling this link; keep reading (it may still deliver
                // here) until the replacement is up. Anything else (too_many_websockets, link_disabled) means a
                // new connection would be refused too: end this one and let the backoff pace the retries.
                var refresh = frame.Reason is "refresh_requested" or "warning";
                log.LogInformation("Socket Mode connection {Id}: Slack sent disconnect ({Reason})", id, frame.Reason);
                End(refresh, "disconnect: " + (frame.Reason ?? "no reason"));
                frame.Dispose();
                break;
            default:
                // Called inline, not on Task.Run: its synchronous part (parse, enqueue) then happens in receive
                // order, so one channel's events stay in order; it yields at its first await (handlers
                // themselves never run on this loop).
                _ = onEnvelope(frame, this);
                break;
        }
    }

    private void End(bool refresh, string reason)
    {
        _ended.TrySetResult(new ConnectionEnd(refresh, reason));
        if (!refresh) _gone.TrySetResult(reason);
    }

    /// <summary>Sends {"envelope_id": ..., "payload": ...}; payload only when given.</summary>
    public async Task Ack(string envelopeId, object? payload)
    {
        // A socket that cannot take a small frame in this time is dead; the watchdog will replace it.
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var ct = cts.Token;
        var buffer = new ArrayBufferWriter<byte>(256);
        await using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("envelope_id", envelopeId);
            if (payload is not null)
            {
                writer.WritePropertyName("payload");
                JsonSerializer.Serialize(writer, payload, payload.GetType(), SlackJson.Options);
            }
            writer.WriteEndObject();
        }
        await _sendLock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            await socket.SendAsync(buffer.WrittenMemory, WebSocketMessageType.Text, true, ct).ConfigureAwait(false);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Starts the close handshake and gives Slack <paramref name="timeout"/> to finish it
    /// (it sometimes never does), then drops the socket.</summary>
    public async Task Close(TimeSpan timeout)
    {
        try
        {
            using var cts = new CancellationTokenSource(timeout);
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await _sendLock.WaitAsync(cts.Token).ConfigureAwait(false);
                try
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "reconnecting", cts.Token).ConfigureAwait(false);
                }
                finally
                {
                    _sendLock.Release();
                }
            }
            await _receiving.WaitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
            log.LogDebug("Socket Mode connection {Id}: close handshake did not finish ({Reason})", id, ex.GetType().Name);
        }
        finally
        {
            socket.Abort();
        }
    }

    public async ValueTask DisposeAsync()
    {
        socket.Abort();
        await _receiving.ConfigureAwait(false);
        socket.Dispose();
        _sendLock.Dispose();
    }
}
