using System.Text.Json;
using Bot.Slack.Parsing;

namespace Bot.Slack.SocketMode;

/// <summary>One text frame from the Socket Mode WebSocket: hello, disconnect, or an envelope
/// (events_api, slash_commands, interactive) that must be acked with its envelope_id.</summary>
public sealed class SocketModeFrame : IDisposable
{
    public const string Hello = "hello";
    public const string Disconnect = "disconnect";
    public const string EventsApi = "events_api";
    public const string SlashCommands = "slash_commands";
    public const string Interactive = "interactive";

    private readonly JsonDocument _doc;

    private SocketModeFrame(JsonDocument doc)
    {
        _doc = doc;
        var root = doc.RootElement;
        Type = Str(root, "type") ?? "";
        EnvelopeId = Str(root, "envelope_id");
        Reason = Str(root, "reason");
        RetryReason = Str(root, "retry_reason");
        if (root.TryGetProperty("payload", out var p)) Payload = p;
        AcceptsResponsePayload = root.TryGetProperty("accepts_response_payload", out var a) && a.ValueKind == JsonValueKind.True;
        if (root.TryGetProperty("retry_attempt", out var r) && r.ValueKind == JsonValueKind.Number && r.TryGetInt32(out var n))
            RetryAttempt = n;
        if (root.TryGetProperty("num_connections", out var c) && c.ValueKind == JsonValueKind.Number && c.TryGetInt32(out var nc))
            NumConnections = nc;
    }

    public string Type { get; }
    public string? EnvelopeId { get; }
    /// <summary>The wrapped Events API envelope, slash command fields or interactivity payload. Valid until Dispose.</summary>
    public JsonElement? Payload { get; }
    public bool AcceptsResponsePayload { get; }
    public int? RetryAttempt { get; }
    /// <summary>Empty string on first delivery (as Slack sends it); normalised to null in EventContext.</summary>
    public string? RetryReason { get; }
    /// <summary>disconnect: refresh_requested, warning, too_many_websockets, link_disabled, ...</summary>
    public string? Reason { get; }
    public int? NumConnections { get; }

    public static SocketModeFrame Parse(ReadOnlySpan<byte> json)
    {
        JsonDocument doc;
        try
        {
            var reader = new Utf8JsonReader(json);
            doc = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException ex)
        {
            throw new SlackParseException("Socket Mode frame is not valid JSON", ex);
        }
        if (doc.RootElement.ValueKind != JsonValueKind.Object)
        {
            doc.Dispose();
            throw new SlackParseException("Socket Mode frame is not a JSON object");
        }
        return new SocketModeFrame(doc);
    }

    public void Dispose() => _doc.Dispose();

    private static string? Str(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}

/// <summary>apps.connections.open's answer.</summary>
public sealed class ConnectionsOpenResponse
{
    public bool Ok { get; set; }
    public string? Url { get; set; }
    public string? Error { get; set; }
    public string? Warning { get; set; }
}
