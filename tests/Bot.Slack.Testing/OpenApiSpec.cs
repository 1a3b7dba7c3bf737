using System.Text.Json;

namespace Bot.Slack.Testing;

/// <summary>One Web API method as the spec describes it: the arguments it requires (besides the token) and
/// whether it takes a JSON body at all (Slack's read methods only take form fields or a query).</summary>
public sealed record SpecMethod(string Name, IReadOnlyList<string> Required, IReadOnlySet<string> Known, bool AcceptsJson);

/// <summary>
/// Slack's Web API OpenAPI (Swagger 2.0) spec, embedded from Specs/. The fake answers unknown_method for what it
/// does not list and invalid_arguments for missing required parameters, so a client cannot drift from Slack.
/// </summary>
public sealed class OpenApiSpec
{
    private readonly Dictionary<string, SpecMethod> _methods;

    private OpenApiSpec(Dictionary<string, SpecMethod> methods) => _methods = methods;

    public IReadOnlyCollection<string> Methods => _methods.Keys;

    public SpecMethod? Find(string method) => _methods.GetValueOrDefault(method);

    private static readonly Lazy<OpenApiSpec> Embedded = new(LoadEmbedded);

    /// <summary>The spec is 1.2 MB; parse it once per test process.</summary>
    public static OpenApiSpec Load() => Embedded.Value;

    private static OpenApiSpec LoadEmbedded()
    {
        using var stream = typeof(OpenApiSpec).Assembly.GetManifestResourceStream("slack_web_openapi_v2.json")
            ?? throw new InvalidOperationException("The embedded Slack OpenAPI spec is missing from Bot.Slack.Testing.");
        using var doc = JsonDocument.Parse(stream);
        var methods = new Dictionary<string, SpecMethod>(StringComparer.Ordinal);
        foreach (var path in doc.RootElement.GetProperty("paths").EnumerateObject())
        {
            var name = path.Name.TrimStart('/');
            var required = new List<string>();
            var known = new HashSet<string>(StringComparer.Ordinal);
            var json = false;
            // Slack accepts any verb for any method; the spec lists one, so merge whatever is there.
            foreach (var op in path.Value.EnumerateObject())
            {
                if (op.Value.TryGetProperty("consumes", out var consumes))
                    json |= consumes.EnumerateArray().Any(c => c.GetString() == "application/json");
                if (!op.Value.TryGetProperty("parameters", out var parameters)) continue;
                foreach (var p in parameters.EnumerateArray())
                {
                    var pname = p.GetProperty("name").GetString()!;
                    if (pname == "token") continue; // the token travels in the Authorization header
                    known.Add(pname);
                    if (p.TryGetProperty("required", out var r) && r.ValueKind == JsonValueKind.True && !required.Contains(pname))
                        required.Add(pname);
                }
            }
            methods[name] = new SpecMethod(name, required, known, json);
        }
        foreach (var extra in Newer) methods[extra.Name] = extra;
        foreach (var (method, added) in NewerArguments)
            if (methods.TryGetValue(method, out var m)) methods[method] = m with { Known = new HashSet<string>(m.Known.Concat(added), StringComparer.Ordinal) };
        return new OpenApiSpec(methods);
    }

    /// <summary>Methods Slack added after the spec's last update (2020-10), with their documented required
    /// arguments (api.slack.com/methods/...).</summary>
    private static readonly SpecMethod[] Newer =
    [
        new("files.getUploadURLExternal", ["filename", "length"],
            Set("filename", "length", "alt_txt", "snippet_type"), AcceptsJson: false),
        new("files.completeUploadExternal", ["files"],
            Set("files", "channel_id", "channels", "initial_comment", "thread_ts", "blocks"), AcceptsJson: true),
        new("apps.connections.open", [], Set(), AcceptsJson: true),
        new("bookmarks.add", ["channel_id", "title", "type"],
            Set("channel_id", "title", "type", "link", "emoji", "entity_id", "access_level", "parent_id"), AcceptsJson: true),
    ];

    /// <summary>Arguments Slack added to spec methods after 2020-10 (message metadata, 2022).</summary>
    private static readonly Dictionary<string, string[]> NewerArguments = new(StringComparer.Ordinal)
    {
        ["chat.postMessage"] = ["metadata"],
        ["chat.update"] = ["metadata"],
        ["conversations.history"] = ["include_all_metadata"],
    };

    private static HashSet<string> Set(params string[] names) => new(names, StringComparer.Ordinal);
}
