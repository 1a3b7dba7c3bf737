using System.Text.Json;

namespace Bot.Slack.Tests.Blocks;

/// <summary>The field names Slack's own samples (../shared/slack, java-slack-sdk shapes) use for each Block Kit
/// "type", so the builders' JSON can be checked against Slack's shapes rather than against itself.</summary>
public static class SlackSamples
{
    private static readonly Lazy<Dictionary<string, HashSet<string>>> Keys = new(Load);

    public static string Folder { get; } = FindFolder();

    /// <summary>Every field name seen on objects of this type (views under "view", whose sample type is blank).</summary>
    public static IReadOnlySet<string>? FieldsOf(string type) => Keys.Value.GetValueOrDefault(type);

    private static string FindFolder()
    {
        // The copies in Samples/ (two webapi-samples files that carry every Block Kit field the others do),
        // so a clean clone without ../shared passes; ../shared/slack when run beside it.
        var copied = Path.Combine(AppContext.BaseDirectory, "Samples");
        if (new[] { "webapi-samples", "interactivity", "events" }.All(f => Directory.Exists(Path.Combine(copied, f))))
            return copied;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "slack");
            if (Directory.Exists(candidate)) return candidate;
        }
        throw new DirectoryNotFoundException("../shared/slack (Slack's samples) was not found above " + AppContext.BaseDirectory);
    }

    private static Dictionary<string, HashSet<string>> Load()
    {
        var keys = new Dictionary<string, HashSet<string>>();
        foreach (var folder in new[] { "webapi-samples", "interactivity", "events" })
            foreach (var file in Directory.EnumerateFiles(Path.Combine(Folder, folder), "*.json", SearchOption.AllDirectories))
            {
                using var doc = JsonDocument.Parse(File.ReadAllText(file));
                Walk(doc.RootElement, null, keys);
            }
        return keys;
    }

    private static void Walk(JsonElement e, string? propertyName, Dictionary<string, HashSet<string>> keys)
    {
        if (e.ValueKind == JsonValueKind.Object)
        {
            var type = e.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            if (string.IsNullOrEmpty(type) && propertyName == "view") type = "view";
            if (!string.IsNullOrEmpty(type))
            {
                if (!keys.TryGetValue(type, out var set)) keys[type] = set = [];
                foreach (var p in e.EnumerateObject()) set.Add(p.Name);
            }
            foreach (var p in e.EnumerateObject()) Walk(p.Value, p.Name, keys);
        }
        else if (e.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in e.EnumerateArray()) Walk(item, propertyName, keys);
        }
    }
}
