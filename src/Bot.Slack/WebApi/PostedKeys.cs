using System.Text.Json;

namespace Bot.Slack.WebApi;

/// <summary>How a keyed post (<see cref="OutgoingMessage.IdempotencyKey"/>) carries its key: Slack's message metadata,
/// which conversations.history returns with include_all_metadata.</summary>
public static class PostedKeys
{
    public const string EventType = "bot_post";

    /// <summary>Messages looked at: a lost answer is retried within seconds, so the post is among the newest.</summary>
    public const int LookBack = 100;

    /// <summary>The key of a message from history (metadata.event_payload.key), or null.</summary>
    public static string? KeyOf(JsonElement message) =>
        message.ValueKind == JsonValueKind.Object
        && message.TryGetProperty("metadata", out var meta) && meta.ValueKind == JsonValueKind.Object
        && meta.TryGetProperty("event_type", out var type) && type.ValueKind == JsonValueKind.String && type.GetString() == EventType
        && meta.TryGetProperty("event_payload", out var payload) && payload.ValueKind == JsonValueKind.Object
        && payload.TryGetProperty("key", out var key) && key.ValueKind == JsonValueKind.String
            ? key.GetString()
            : null;
}
