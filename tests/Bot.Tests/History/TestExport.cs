using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Bot.Tests.History;

/// <summary>A Slack workspace export written the way Slack documents it (users.json, channels.json, groups.json,
/// &lt;channel&gt;/&lt;YYYY-MM-DD&gt;.json day files named by UTC date), in a temporary folder, or zipped.</summary>
public sealed class TestExport : IDisposable
{
    private readonly JsonArray _users = [];
    private readonly JsonArray _channels = [];
    private readonly JsonArray _groups = [];
    private readonly Dictionary<string, List<JsonObject>> _messages = new();
    private readonly Dictionary<string, string> _raw = new();

    public string Root { get; } = Directory.CreateTempSubdirectory("slack-export-").FullName;

    public TestExport User(string id, string name, string realName, string? title = null, string? tz = null)
    {
        _users.Add(new JsonObject
        {
            ["id"] = id, ["team_id"] = "T0TEST", ["name"] = name, ["real_name"] = realName, ["tz"] = tz, ["deleted"] = false,
            ["profile"] = new JsonObject { ["real_name"] = realName, ["title"] = title ?? "", ["display_name"] = name },
        });
        return this;
    }

    public TestExport Channel(string id, string name, string? creator = null, string? purpose = null, string[]? pins = null, bool isPrivate = false)
    {
        var channel = new JsonObject
        {
            ["id"] = id, ["name"] = name, ["created"] = 1_700_000_000, ["creator"] = creator, ["is_archived"] = false,
            ["topic"] = new JsonObject { ["value"] = "", ["creator"] = "", ["last_set"] = 0 },
            ["purpose"] = new JsonObject { ["value"] = purpose ?? "", ["creator"] = creator ?? "", ["last_set"] = 0 },
        };
        if (pins is not null)
            channel["pins"] = new JsonArray(pins.Select(p => (JsonNode)new JsonObject { ["id"] = p, ["type"] = "C", ["user"] = creator }).ToArray());
        (isPrivate ? _groups : _channels).Add(channel);
        return this;
    }

    /// <summary>A message in <paramref name="channel"/> at <paramref name="utc"/>; <paramref name="extra"/> adds Slack's
    /// other fields (thread_ts, edited, files, reactions, pinned_to, subtype).</summary>
    public string Message(string channel, DateTimeOffset utc, string? user, string text, JsonObject? extra = null, int micros = 100)
    {
        var ts = Ts(utc, micros);
        var m = new JsonObject { ["type"] = "message", ["user"] = user, ["text"] = text, ["ts"] = ts };
        foreach (var (k, v) in extra ?? []) m[k] = v?.DeepClone();
        var day = $"{channel}/{utc.UtcDateTime:yyyy-MM-dd}.json";
        if (!_messages.TryGetValue(day, out var list)) _messages[day] = list = [];
        list.Add(m);
        return ts;
    }

    /// <summary>A file of the export with exactly this text (a malformed day file, say).</summary>
    public TestExport Raw(string path, string text)
    {
        _raw[path] = text;
        return this;
    }

    public static string Ts(DateTimeOffset utc, int micros = 100) =>
        utc.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) + "." + micros.ToString("D6", CultureInfo.InvariantCulture);

    public static JsonObject Reactions(params (string Name, string[] Users)[] reactions) => new()
    {
        ["reactions"] = new JsonArray(reactions.Select(r => (JsonNode)new JsonObject
        {
            ["name"] = r.Name, ["users"] = new JsonArray(r.Users.Select(u => (JsonNode)JsonValue.Create(u)!).ToArray()), ["count"] = r.Users.Length,
        }).ToArray()),
    };

    /// <summary>Writes the export's files to <see cref="Root"/> and returns it.</summary>
    public string Folder()
    {
        Write("users.json", _users.ToJsonString());
        Write("channels.json", _channels.ToJsonString());
        if (_groups.Count > 0) Write("groups.json", _groups.ToJsonString());
        foreach (var (day, list) in _messages) Write(day, new JsonArray(list.Select(m => (JsonNode)m.DeepClone()).ToArray()).ToJsonString());
        foreach (var (path, text) in _raw) Write(path, text);
        return Root;
    }

    /// <summary>The export as Slack hands it out: one .zip with the files at its root.</summary>
    public string Zip()
    {
        var folder = Folder();
        var zip = Path.Combine(Path.GetDirectoryName(folder)!, Path.GetFileName(folder) + ".zip");
        File.Delete(zip);
        ZipFile.CreateFromDirectory(folder, zip);
        _zips.Add(zip);
        return zip;
    }

    private readonly List<string> _zips = [];

    private void Write(string path, string text)
    {
        var full = Path.Combine(Root, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
    }

    public void Dispose()
    {
        Directory.Delete(Root, recursive: true);
        foreach (var z in _zips) File.Delete(z);
    }

    public static JsonObject Fields(string json) => JsonNode.Parse(json)!.AsObject();

    public static string Pretty(JsonNode node) => node.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
}
