using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Bot.Slack.Testing;

/// <summary>The arguments of one Web API call, however they were sent (query, form fields or a JSON body).
/// Form and query values are strings; JSON values keep their JSON kind.</summary>
public sealed class SlackArgs
{
    public SlackArgs(IReadOnlyDictionary<string, JsonElement> values) => Values = values;

    public IReadOnlyDictionary<string, JsonElement> Values { get; }

    public bool Has(string name) => Values.TryGetValue(name, out var v)
        && v.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined)
        && !(v.ValueKind == JsonValueKind.String && v.GetString()!.Length == 0);

    /// <summary>The value as text: strings as they are, numbers and booleans as written, objects as JSON.</summary>
    public string? Str(string name)
    {
        if (!Has(name)) return null;
        var v = Values[name];
        return v.ValueKind == JsonValueKind.String ? v.GetString() : v.GetRawText();
    }

    /// <summary>The value, or a Slack error when it is missing.</summary>
    public string Required(string name, string error) => Str(name) ?? throw new SlackErrorException(error);

    public bool Bool(string name, bool fallback = false) => Str(name)?.ToLowerInvariant() switch
    {
        null => fallback,
        "true" or "1" => true,
        "false" or "0" => false,
        _ => fallback,
    };

    public int? Int(string name, string error = "invalid_arguments")
    {
        var s = Str(name);
        if (s is null) return null;
        return int.TryParse(s, out var i) ? i : throw new SlackErrorException(error, $"[ERROR] {name} must be a number");
    }

    /// <summary>A JSON argument (blocks, view, files): form clients send it as a JSON string, JSON clients as JSON.
    /// Null when absent; <paramref name="error"/> when it is not JSON.</summary>
    public JsonNode? Json(string name, string error)
    {
        if (!Has(name)) return null;
        var v = Values[name];
        if (v.ValueKind != JsonValueKind.String) return JsonNode.Parse(v.GetRawText());
        try
        {
            return JsonNode.Parse(v.GetString()!);
        }
        catch (JsonException)
        {
            throw new SlackErrorException(error, $"[ERROR] {name} is not valid JSON");
        }
    }

    /// <summary>A list argument (users, channels): comma-separated text or a JSON array.</summary>
    public IReadOnlyList<string> List(string name)
    {
        if (!Has(name)) return [];
        var v = Values[name];
        if (v.ValueKind == JsonValueKind.Array)
            return v.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetRawText()).ToList();
        return Str(name)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    internal static async Task<(SlackArgs Args, string? BodyToken, bool IsJson, string? Error)> Read(HttpRequest request)
    {
        var values = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var (key, value) in request.Query) values[key] = Text(value.ToString());
        string? bodyToken = null;
        var isJson = false;
        if (HttpMethods.IsPost(request.Method))
        {
            var contentType = request.ContentType ?? "";
            if (contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
            {
                isJson = true;
                using var reader = new StreamReader(request.Body, Encoding.UTF8);
                var body = await reader.ReadToEndAsync();
                if (body.Length > 0)
                {
                    try
                    {
                        using var doc = JsonDocument.Parse(body);
                        if (doc.RootElement.ValueKind != JsonValueKind.Object)
                            return (new SlackArgs(values), null, true, "invalid_json");
                        foreach (var p in doc.RootElement.EnumerateObject()) values[p.Name] = p.Value.Clone();
                    }
                    catch (JsonException)
                    {
                        return (new SlackArgs(values), null, true, "invalid_json");
                    }
                }
            }
            else if (request.HasFormContentType)
            {
                var form = await request.ReadFormAsync();
                foreach (var (key, value) in form)
                {
                    // Slack still takes a token as a form field (never from a JSON body).
                    if (key == "token") bodyToken = value.ToString();
                    else values[key] = Text(value.ToString());
                }
            }
        }
        values.Remove("token");
        return (new SlackArgs(values), bodyToken, isJson, null);
    }

    private static JsonElement Text(string s) => JsonSerializer.SerializeToElement(s);
}

/// <summary>Thrown by a method handler to answer {"ok":false,"error":Error} (HTTP 200, as Slack does).</summary>
public sealed class SlackErrorException(string error, params string[] messages) : Exception(error)
{
    public string Error { get; } = error;
    public IReadOnlyList<string> Messages { get; } = messages;
}
