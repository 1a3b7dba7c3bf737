using System.Text.Json;
using System.Text.Json.Nodes;

namespace Bot.Slack.Testing;

/// <summary>One Web API call as the fake saw it, whatever it answered (also rejected and failed calls).</summary>
public sealed record RecordedCall(
    string Method,
    SlackArgs Args,
    DateTimeOffset Time,
    int HttpStatus,
    bool Ok,
    string? Error,
    JsonNode? Response)
{
    /// <summary>Arguments the spec does not list for the method: usually a typo (Slack ignores them silently), or
    /// an argument newer than the spec (2020).</summary>
    public IReadOnlyList<string> UnknownArguments { get; init; } = [];

    /// <summary>Slack performed the call, but its answer never reached the caller (Failure.AppliedThen): HttpStatus and
    /// Response are what Slack meant to answer.</summary>
    public bool Lost { get; init; }

    public IReadOnlyDictionary<string, JsonElement> Arguments => Args.Values;

    /// <summary>An argument as text (see <see cref="SlackArgs.Str"/>).</summary>
    public string? Arg(string name) => Args.Str(name);

    /// <summary>A JSON argument (blocks, view, files) parsed, whether it was sent as JSON or as a JSON string.</summary>
    public JsonNode? JsonArg(string name) => Args.Json(name, "invalid_arguments");

    public override string ToString() =>
        $"{Method}({string.Join(", ", Args.Values.Select(kv => $"{kv.Key}={Short(kv.Value)}"))}) -> {HttpStatus} {(Ok ? "ok" : Error)}{(Lost ? " (answer lost)" : "")}";

    private static string Short(JsonElement v)
    {
        var s = v.ValueKind == JsonValueKind.String ? v.GetString()! : v.GetRawText();
        return s.Length > 60 ? s[..57] + "..." : s;
    }
}

/// <summary>A body posted to a response_url the fake handed out.</summary>
public sealed record RecordedResponse(string Url, JsonNode? Body, DateTimeOffset Time, int HttpStatus);
