using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Bot.Slack.Testing;

/// <summary>One WebSocket a client opened with a URL from apps.connections.open.</summary>
public sealed class FakeSocketConnection
{
    internal FakeSocketConnection(int number, HttpContext context, WebSocket socket, DateTimeOffset openedAt)
    {
        Number = number;
        Context = context;
        Socket = socket;
        OpenedAt = openedAt;
    }

    /// <summary>1 for the first connection the fake accepted, 2 for the next, ...</summary>
    public int Number { get; }
    public DateTimeOffset OpenedAt { get; }
    public bool IsOpen { get; internal set; } = true;
    /// <summary>Why it ended: the client's close status, "aborted" (DropSockets) or "server_closed".</summary>
    public string? EndedBecause { get; internal set; }

    internal HttpContext Context { get; }
    internal WebSocket Socket { get; }
    private readonly SemaphoreSlim _sendLock = new(1, 1);

    /// <summary>WebSocket sends must not overlap; envelopes and disconnects can come from several test threads.</summary>
    internal async Task Send(string text)
    {
        await _sendLock.WaitAsync();
        try
        {
            await Socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);
        }
        finally
        {
            _sendLock.Release();
        }
    }
}

/// <summary>What the client acked an envelope with.</summary>
public sealed record SocketAck(string EnvelopeId, JsonNode? Payload, string Raw, TimeSpan Elapsed, int ConnectionNumber);
