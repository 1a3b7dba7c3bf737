using System.Text.Json;
using System.Text.Json.Serialization;
using Bot.Slack.Events;

namespace Bot.Slack.Parsing;

/// <summary>Reads an inner Events API event into its class by "type". Every message subtype is a
/// <see cref="MessageEvent"/> (the subtype is a field on it); unknown types become <see cref="UnknownEvent"/>
/// so a new Slack event never fails a request.</summary>
public sealed class SlackEventConverter : JsonConverter<SlackEvent>
{
    private static readonly Dictionary<string, Type> Types = new(StringComparer.Ordinal)
    {
        ["message"] = typeof(MessageEvent),
        ["reaction_added"] = typeof(ReactionAddedEvent),
        ["reaction_removed"] = typeof(ReactionRemovedEvent),
        ["pin_added"] = typeof(PinAddedEvent),
        ["pin_removed"] = typeof(PinRemovedEvent),
        ["member_joined_channel"] = typeof(MemberJoinedChannelEvent),
        ["member_left_channel"] = typeof(MemberLeftChannelEvent),
        ["app_home_opened"] = typeof(AppHomeOpenedEvent),
        ["channel_rename"] = typeof(ChannelRenameEvent),
        ["app_uninstalled"] = typeof(AppUninstalledEvent),
        ["tokens_revoked"] = typeof(TokensRevokedEvent),
    };

    /// <summary>The class an event of this type is read into.</summary>
    public static Type TypeFor(string? type) =>
        type is not null && Types.TryGetValue(type, out var t) ? t : typeof(UnknownEvent);

    // Only the abstract base: concrete classes use the default (property-based) contract.
    public override bool CanConvert(Type typeToConvert) => typeToConvert == typeof(SlackEvent);

    public override SlackEvent? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var doc = JsonDocument.ParseValue(ref reader);
        var root = doc.RootElement;
        if (root.ValueKind == JsonValueKind.Null) return null;
        if (root.ValueKind != JsonValueKind.Object) throw new JsonException("event must be a JSON object");
        var type = root.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        return (SlackEvent?)root.Deserialize(TypeFor(type), options);
    }

    public override void Write(Utf8JsonWriter writer, SlackEvent value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, value, value.GetType(), options);
}
