using System.Text.Json;
using System.Text.Json.Serialization;
using Bot.Slack.Interactivity;

namespace Bot.Slack.Parsing;

/// <summary>Reads an interactivity payload into its class by "type"; unknown types are kept as
/// <see cref="UnknownInteraction"/> with their fields in Extra.</summary>
public sealed class InteractionPayloadConverter : JsonConverter<InteractionPayload>
{
    private static readonly Dictionary<string, Type> Types = new(StringComparer.Ordinal)
    {
        ["block_actions"] = typeof(BlockActionsPayload),
        ["view_submission"] = typeof(ViewSubmissionPayload),
        ["view_closed"] = typeof(ViewClosedPayload),
        // Slack's wire names: a message shortcut is "message_action", a global shortcut is "shortcut".
        ["message_action"] = typeof(MessageShortcutPayload),
        ["shortcut"] = typeof(GlobalShortcutPayload),
    };

    public static Type TypeFor(string? type) =>
        type is not null && Types.TryGetValue(type, out var t) ? t : typeof(UnknownInteraction);

    public override bool CanConvert(Type typeToConvert) => typeToConvert == typeof(InteractionPayload);

    public override InteractionPayload? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var doc = JsonDocument.ParseValue(ref reader);
        var root = doc.RootElement;
        if (root.ValueKind == JsonValueKind.Null) return null;
        if (root.ValueKind != JsonValueKind.Object) throw new JsonException("payload must be a JSON object");
        var type = root.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        return (InteractionPayload?)root.Deserialize(TypeFor(type), options);
    }

    public override void Write(Utf8JsonWriter writer, InteractionPayload value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, value, value.GetType(), options);
}
