using System.Globalization;
using System.Text.Json.Nodes;
using Bot.Hosting;
using Json.Schema;
using YamlDotNet.RepresentationModel;

namespace Bot.Tests.Manifest;

/// <summary>slack-manifest.yml is what an operator pastes into Slack: it must be valid for Slack's
/// published schema and ask for exactly what the code uses (SlackAppDefinition).</summary>
public class SlackManifestTests
{
    private const string SchemaBase = "https://raw.githubusercontent.com/slackapi/manifest-schema/v0.5.0/schemas/";
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Manifest");

    private static JsonNode Manifest() => YamlToJson.Convert(File.ReadAllText(Path.Combine(Folder, "slack-manifest.yml")));

    private static EvaluationResults Validate(JsonNode document)
    {
        var options = new EvaluationOptions { OutputFormat = OutputFormat.List };
        // The top-level schema refers to the versioned ones by URL; the copies beside it stand in (no network).
        foreach (var version in new[] { "1.0.0", "2.0.0" })
            options.SchemaRegistry.Register(new Uri($"{SchemaBase}manifest.schema.{version}.json"),
                JsonSchema.FromFile(Path.Combine(Folder, $"manifest.schema.{version}.json")));
        return JsonSchema.FromFile(Path.Combine(Folder, "manifest.schema.json")).Evaluate(document, options);
    }

    private static string Errors(EvaluationResults results) =>
        string.Join("\n", results.Details.Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}")).Take(20));

    [Fact]
    public void Manifest_IsValidForSlacksSchema()
    {
        var results = Validate(Manifest());

        Assert.True(results.IsValid, Errors(results));
    }

    [Fact]
    public void Schema_RejectsSlacksOwnInvalidExample()
    {
        // Guards the check above: a schema that accepted everything would pass it too.
        var invalid = JsonNode.Parse(File.ReadAllText(Path.Combine(Folder, "v1_manifest.invalid.json")))!;

        Assert.False(Validate(invalid).IsValid);
    }

    [Fact]
    public void Manifest_ListsExactlyTheCommandsShortcutsEventsAndScopesTheCodeUses()
    {
        var manifest = Manifest();

        Assert.Equal(Sorted(SlackAppDefinition.SlashCommands),
            Sorted(manifest["features"]!["slash_commands"]!.AsArray().Select(c => (string)c!["command"]!)));
        Assert.Equal(Sorted(SlackAppDefinition.MessageShortcuts),
            Sorted(manifest["features"]!["shortcuts"]!.AsArray().Where(s => (string)s!["type"]! == "message").Select(s => (string)s!["callback_id"]!)));
        Assert.Equal(Sorted(SlackAppDefinition.BotEvents),
            Sorted(manifest["settings"]!["event_subscriptions"]!["bot_events"]!.AsArray().Select(e => (string)e!)));
        Assert.Equal(Sorted(SlackAppDefinition.BotScopes),
            Sorted(manifest["oauth_config"]!["scopes"]!["bot"]!.AsArray().Select(s => (string)s!)));
        Assert.True((bool)manifest["settings"]!["interactivity"]!["is_enabled"]!);
    }

    [Fact]
    public void Manifest_DefaultsToSocketMode_SoNoPublicUrlIsNeeded()
    {
        Assert.True((bool)Manifest()["settings"]!["socket_mode_enabled"]!);
    }

    private static List<string> Sorted(IEnumerable<string> values) => values.Order(StringComparer.Ordinal).ToList();
}

/// <summary>YAML → JSON with YAML 1.2 core types for plain scalars (true, 12, null), so the schema sees
/// booleans and numbers where Slack would.</summary>
internal static class YamlToJson
{
    public static JsonNode Convert(string yaml) => ConvertAll(yaml)[0];

    /// <summary>Every document of a multi-document file (--- separated).</summary>
    public static IReadOnlyList<JsonNode> ConvertAll(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents.Select(d => Node(d.RootNode)!).ToList();
    }

    private static JsonNode? Node(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(kv =>
            KeyValuePair.Create(((YamlScalarNode)kv.Key).Value!, Node(kv.Value)))),
        YamlSequenceNode seq => new JsonArray(seq.Children.Select(Node).ToArray()),
        YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain } s => Plain(s.Value),
        YamlScalarNode s => JsonValue.Create(s.Value),
        _ => throw new InvalidOperationException($"Unsupported YAML node {node.NodeType}"),
    };

    private static JsonNode? Plain(string? value) => value switch
    {
        null or "" or "~" or "null" => null,
        "true" => JsonValue.Create(true),
        "false" => JsonValue.Create(false),
        _ when long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) => JsonValue.Create(n),
        _ => JsonValue.Create(value),
    };
}
