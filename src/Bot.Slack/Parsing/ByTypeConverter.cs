using System.Text.Json;
using System.Text.Json.Serialization;

namespace Bot.Slack.Parsing;

/// <summary>Reads a JSON object into the class its "type" field names (a table per base class); unknown types go
/// to a fallback class that keeps every field, so a new Slack type never fails a request. Writes the runtime type.</summary>
public abstract class ByTypeConverter<TBase>(string what) : JsonConverter<TBase> where TBase : class
{
    /// <summary>The class an object of this type is read into.</summary>
    protected abstract Type ClassFor(string? type);

    // Only the abstract base: concrete classes use the default (property-based) contract.
    public override bool CanConvert(Type typeToConvert) => typeToConvert == typeof(TBase);

    public override TBase? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var doc = JsonDocument.ParseValue(ref reader);
        var root = doc.RootElement;
        if (root.ValueKind == JsonValueKind.Null) return null;
        if (root.ValueKind != JsonValueKind.Object) throw new JsonException($"{what} must be a JSON object");
        var type = root.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        return (TBase?)root.Deserialize(ClassFor(type), options);
    }

    public override void Write(Utf8JsonWriter writer, TBase value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, value, value.GetType(), options);

    protected static Type Lookup(IReadOnlyDictionary<string, Type> types, string? type, Type unknown) =>
        type is not null && types.TryGetValue(type, out var t) ? t : unknown;
}
