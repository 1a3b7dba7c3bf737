using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Bot.History;

/// <summary>Reads Slack's standard workspace export, a .zip or the folder it unpacks to: users.json, channels.json
/// (groups.json for private channels) and the channel's <c>&lt;name&gt;/&lt;YYYY-MM-DD&gt;.json</c> day files.
/// Anything it cannot read is an <see cref="ExportException"/> naming the file.</summary>
public sealed partial class ExportReader : IDisposable
{
    private readonly ZipArchive? _zip;
    private readonly Dictionary<string, ZipArchiveEntry>? _entries;
    private readonly string? _folder;
    private readonly string _prefix;
    private readonly string _source;

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}$")]
    private static partial Regex DayName();

    private ExportReader(string source, ZipArchive? zip, string? folder)
    {
        _source = source;
        _zip = zip;
        _folder = folder;
        if (zip is not null)
            _entries = zip.Entries.Where(e => e.Name.Length > 0).GroupBy(e => e.FullName.Replace('\\', '/'), StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        // A zip of the export's folder (rather than of its contents) has everything one level down.
        _prefix = Exists("users.json") ? "" : Names().Where(n => n.EndsWith("/users.json", StringComparison.Ordinal) && n.Count(c => c == '/') == 1)
            .Select(n => n[..^"users.json".Length]).FirstOrDefault() ?? "";
    }

    /// <summary>The export at <paramref name="path"/>: a folder, or a zip file.</summary>
    /// <param name="shown">How messages name it (the path as typed); null: <paramref name="path"/>.</param>
    public static ExportReader Open(string path, string? shown = null)
    {
        shown ??= path;
        if (Directory.Exists(path)) return new ExportReader(shown, null, Path.GetFullPath(path));
        if (!File.Exists(path)) throw new ExportException($"No Slack export at {shown}: give the export's .zip or the folder it unpacks to.");
        try
        {
            return new ExportReader(shown, ZipFile.OpenRead(path), null);
        }
        catch (InvalidDataException)
        {
            throw new ExportException($"{shown} is not a zip file: give the export's .zip or the folder it unpacks to.");
        }
    }

    public void Dispose() => _zip?.Dispose();

    private IEnumerable<string> Names() => _entries is not null
        ? _entries.Keys
        : Directory.EnumerateFiles(_folder!, "*.json", SearchOption.AllDirectories).Select(p => Path.GetRelativePath(_folder!, p).Replace('\\', '/'));

    private bool Exists(string name) => _entries?.ContainsKey((_prefix ?? "") + name) ?? File.Exists(Path.Combine(_folder!, (_prefix ?? "") + name));

    private Stream OpenFile(string name) => _entries is not null ? _entries[_prefix + name].Open() : File.OpenRead(Path.Combine(_folder!, _prefix + name));

    private JsonDocument Parse(string name)
    {
        try
        {
            using var stream = OpenFile(name);
            return JsonDocument.Parse(stream);
        }
        catch (JsonException e)
        {
            throw new ExportException($"{name} in {_source} is not valid JSON: {e.Message.ReplaceLineEndings(" ")}");
        }
        catch (InvalidDataException e)
        {
            throw new ExportException($"{name} in {_source} cannot be read from the zip: {e.Message.ReplaceLineEndings(" ")}");
        }
    }

    private JsonElement.ArrayEnumerator Array(JsonDocument doc, string name) => doc.RootElement.ValueKind == JsonValueKind.Array
        ? doc.RootElement.EnumerateArray()
        : throw new ExportException($"{name} in {_source} is not a JSON array, as Slack writes it.");

    public IReadOnlyDictionary<string, ExportUser> Users()
    {
        if (!Exists("users.json")) throw new ExportException($"{_source} has no users.json: it is not a Slack workspace export.");
        using var doc = Parse("users.json");
        var users = new Dictionary<string, ExportUser>(StringComparer.Ordinal);
        foreach (var u in Array(doc, "users.json"))
        {
            if (Str(u, "id") is not { } id) continue;
            var profile = u.ValueKind == JsonValueKind.Object && u.TryGetProperty("profile", out var p) ? p : default;
            users[id] = new ExportUser(id, Str(u, "name") ?? id, Str(u, "real_name") ?? Str(profile, "real_name"), Str(profile, "title"), Str(u, "tz"));
        }
        return users;
    }

    /// <summary>Public channels (channels.json) and, when the export has them, private ones (groups.json).</summary>
    public IReadOnlyList<ExportChannel> Channels()
    {
        if (!Exists("channels.json")) throw new ExportException($"{_source} has no channels.json: it is not a Slack workspace export.");
        var channels = new List<ExportChannel>();
        foreach (var (file, isPrivate) in new[] { ("channels.json", false), ("groups.json", true) })
        {
            if (!Exists(file)) continue;
            using var doc = Parse(file);
            foreach (var c in Array(doc, file))
            {
                if (Str(c, "id") is not { } id || Str(c, "name") is not { } name) continue;
                var pins = c.TryGetProperty("pins", out var ps) && ps.ValueKind == JsonValueKind.Array
                    ? ps.EnumerateArray().Select(p => Str(p, "id")).OfType<string>().ToHashSet(StringComparer.Ordinal)
                    : [];
                channels.Add(new ExportChannel(id, name, Str(c, "creator"), Nested(c, "topic"), Nested(c, "purpose"), isPrivate, pins));
            }
        }
        return channels;
    }

    /// <summary>The channel's day files (names "YYYY-MM-DD"), oldest first, limited to [<paramref name="fromDay"/>,
    /// <paramref name="toDay"/>] when given.</summary>
    public IReadOnlyList<string> Days(ExportChannel channel, DateOnly? fromDay, DateOnly? toDay)
    {
        var folder = _prefix + channel.Name + "/";
        // A folder export: only the channel's own folder is listed (a workspace export can have thousands).
        var names = _entries is not null ? Names()
            : Directory.Exists(Path.Combine(_folder!, folder)) ? Directory.EnumerateFiles(Path.Combine(_folder!, folder), "*.json").Select(p => folder + Path.GetFileName(p))
            : [];
        return names.Where(n => n.StartsWith(folder, StringComparison.Ordinal) && n.EndsWith(".json", StringComparison.Ordinal))
            .Select(n => n[folder.Length..^".json".Length])
            .Where(d => DayName().IsMatch(d))
            .Where(d => DateOnly.TryParseExact(d, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
                        && (fromDay is null || day >= fromDay) && (toDay is null || day <= toDay))
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The messages of one day file, in the file's order.</summary>
    public IReadOnlyList<ExportMessage> Messages(ExportChannel channel, string day)
    {
        var name = $"{channel.Name}/{day}.json";
        using var doc = Parse(name);
        var messages = new List<ExportMessage>();
        foreach (var m in Array(doc, name))
        {
            if (m.ValueKind != JsonValueKind.Object) throw new ExportException($"{name} in {_source} has an entry that is not a message object.");
            var ts = Str(m, "ts");
            if (ts is null || !SlackTime(ts, out var at)) throw new ExportException($"{name} in {_source} has a message without a valid ts.");
            var threadTs = Str(m, "thread_ts");
            var pinned = channel.PinnedTs.Contains(ts)
                         || (m.TryGetProperty("pinned_to", out var pt) && pt.ValueKind == JsonValueKind.Array && pt.EnumerateArray().Any(c => c.ValueKind == JsonValueKind.String && c.GetString() == channel.Id));
            messages.Add(new ExportMessage(ts, at, Str(m, "user"), Str(m, "text") ?? "", Str(m, "subtype"),
                threadTs is not null && threadTs != ts ? threadTs : null,
                m.TryGetProperty("edited", out var ed) && ed.ValueKind == JsonValueKind.Object,
                Files(m), Reactions(m), pinned));
        }
        return messages;
    }

    private static IReadOnlyList<ExportFile> Files(JsonElement m) =>
        m.TryGetProperty("files", out var fs) && fs.ValueKind == JsonValueKind.Array
            ? fs.EnumerateArray().Where(f => f.ValueKind == JsonValueKind.Object)
                .Select(f => new ExportFile(Str(f, "name"), Str(f, "title"), Str(f, "mimetype"), Str(f, "permalink"), Str(f, "url_private"))).ToList()
            : [];

    private static IReadOnlyList<ExportReaction> Reactions(JsonElement m) =>
        m.TryGetProperty("reactions", out var rs) && rs.ValueKind == JsonValueKind.Array
            ? rs.EnumerateArray().Where(r => Str(r, "name") is not null)
                .Select(r => new ExportReaction(Str(r, "name")!, r.TryGetProperty("users", out var us) && us.ValueKind == JsonValueKind.Array
                    ? us.EnumerateArray().Where(u => u.ValueKind == JsonValueKind.String).Select(u => u.GetString()!).ToList()
                    : [])).ToList()
            : [];

    /// <summary>"1764196800.000200": seconds and microseconds since the epoch.</summary>
    public static bool SlackTime(string ts, out DateTimeOffset at)
    {
        at = default;
        if (!decimal.TryParse(ts, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds) || seconds > 253_402_300_799m) return false;
        at = DateTimeOffset.UnixEpoch.AddTicks((long)(seconds * TimeSpan.TicksPerSecond));
        return true;
    }

    private static string? Str(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static string? Nested(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && Str(v, "value") is { Length: > 0 } s ? s : null;
}
