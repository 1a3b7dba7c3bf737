using System.Text.Json;
using Bot.Slack.Events;

namespace Bot.Slack.WebApi;

/// <summary>Small readers from Slack's response JSON into the client's records. Missing fields read as null,
/// never as an exception: Slack adds and drops optional fields freely.</summary>
internal static class SlackJsonRead
{
    public static JsonElement? Prop(this JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v : null;

    public static string? Str(this JsonElement e, string name) =>
        e.Prop(name) is { ValueKind: JsonValueKind.String } v ? v.GetString() : null;

    public static bool Bool(this JsonElement e, string name) => e.Prop(name) is { ValueKind: JsonValueKind.True };

    public static long? Long(this JsonElement e, string name) => e.Prop(name) switch
    {
        { ValueKind: JsonValueKind.Number } v when v.TryGetInt64(out var n) => n,
        { ValueKind: JsonValueKind.String } v when long.TryParse(v.GetString(), out var n) => n,
        _ => null,
    };

    public static IEnumerable<JsonElement> Array(this JsonElement e, string name) =>
        e.Prop(name) is { ValueKind: JsonValueKind.Array } v ? v.EnumerateArray() : [];

    /// <summary>The string a required field must hold; its absence means the answer is not what Slack sends.</summary>
    public static string Required(this JsonElement e, string method, string name) =>
        e.Str(name) ?? throw new SlackApiException(method, "invalid_response", $"no \"{name}\" in the answer");

    public static JsonElement RequiredObject(this JsonElement e, string method, string name) =>
        e.Prop(name) is { ValueKind: JsonValueKind.Object } v ? v : throw new SlackApiException(method, "invalid_response", $"no \"{name}\" in the answer");

    public static string? NextCursor(this JsonElement e) =>
        e.Prop("response_metadata")?.Str("next_cursor") is { Length: > 0 } c ? c : null;

    public static Conversation Conversation(JsonElement c) => new()
    {
        Id = c.Str("id") ?? "",
        Name = c.Str("name"),
        IsPrivate = c.Bool("is_private"),
        IsArchived = c.Bool("is_archived"),
        IsIm = c.Bool("is_im"),
        IsMember = c.Bool("is_member"),
        // topic and purpose are objects ({value, creator, last_set}); only the text matters here.
        Topic = c.Prop("topic")?.Str("value"),
        Purpose = c.Prop("purpose")?.Str("value"),
        NumMembers = c.Long("num_members") is { } n ? (int)n : null,
    };

    public static MessageEvent Message(JsonElement m) => m.Deserialize<MessageEvent>(SlackJson.Options)!;

    public static SlackUser User(JsonElement u) => u.Deserialize<SlackUser>(SlackJson.Options)!;

    public static UserGroup UserGroup(JsonElement g) => new(
        g.Str("id") ?? "",
        g.Str("handle"),
        g.Str("name"),
        g.Array("users").Where(u => u.ValueKind == JsonValueKind.String).Select(u => u.GetString()!).ToList());

    public static PinnedItem Pin(JsonElement p) => new(
        p.Str("type") ?? "",
        p.Str("channel"),
        p.Prop("message") is { ValueKind: JsonValueKind.Object } m ? Message(m) : null,
        p.Long("created"),
        p.Str("created_by"));
}
