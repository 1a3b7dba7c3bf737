using System.Text.Json;
using System.Text.Json.Serialization;

namespace Bot.Slack.Blocks;

/// <summary>Writes a Block Kit value as its runtime type (so a list of Block writes each block's own
/// properties, "type" first since the concrete type declares it). Blocks are only written by this library;
/// what Slack sends back (view state) is read from the payload classes instead.</summary>
internal sealed class RuntimeTypeConverter<T> : JsonConverter<T> where T : class
{
    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException($"{typeof(T).Name} is written only; read Slack's view state from the interactivity payloads.");

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
        // The attribute sits on the abstract base only, so the concrete type uses the default converter.
        JsonSerializer.Serialize(writer, value, value.GetType(), options);
}
