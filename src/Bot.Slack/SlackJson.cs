using System.Text.Json;
using System.Text.Json.Serialization;

namespace Bot.Slack;

/// <summary>One set of JSON options for everything Slack sends and receives: snake_case names,
/// nulls left out (Slack treats a present null differently from an absent field).</summary>
public static class SlackJson
{
    public static readonly JsonSerializerOptions Options = Create();

    /// <summary>For reading what arrives from outside (request bodies, payloads): a null where the model says a value
    /// is never null (an "actions": null, a "view": null) is a malformed payload, refused while parsing, not a
    /// NullReferenceException in a handler. Writing keeps <see cref="Options"/>.</summary>
    public static readonly JsonSerializerOptions Incoming = new(Options) { RespectNullableAnnotations = true };

    private static JsonSerializerOptions Create()
    {
        var o = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            DictionaryKeyPolicy = null,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            NumberHandling = JsonNumberHandling.AllowReadingFromString,
        };
        return o;
    }
}
