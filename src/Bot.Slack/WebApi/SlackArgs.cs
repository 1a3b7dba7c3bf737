using System.Collections;
using System.Globalization;
using System.Text.Json;

namespace Bot.Slack.WebApi;

/// <summary>Arguments of one Web API call. Null values are left out: Slack reads a present empty field
/// differently from an absent one. The same arguments can be sent as JSON or as a form.</summary>
internal sealed class SlackArgs : IEnumerable<KeyValuePair<string, object?>>
{
    private readonly List<KeyValuePair<string, object?>> _items = [];

    public SlackArgs() { }

    public SlackArgs(IEnumerable<KeyValuePair<string, object?>> items)
    {
        foreach (var (k, v) in items) Add(k, v);
    }

    public void Add(string name, object? value)
    {
        if (value is null) return;
        _items.RemoveAll(kv => kv.Key == name);
        _items.Add(new(name, value));
    }

    public SlackArgs With(string name, object? value)
    {
        var copy = new SlackArgs(_items);
        copy.Add(name, value);
        return copy;
    }

    public string? GetString(string name) => _items.FirstOrDefault(kv => kv.Key == name).Value as string;

    public Dictionary<string, object?> ToDictionary() => _items.ToDictionary(kv => kv.Key, kv => kv.Value);

    /// <summary>Form fields: scalars as text, anything structured (blocks, files) as a JSON string, as Slack expects.</summary>
    public IEnumerable<KeyValuePair<string, string>> ToForm() =>
        _items.Select(kv => new KeyValuePair<string, string>(kv.Key, FormValue(kv.Value!)));

    private static string FormValue(object value) => value switch
    {
        string s => s,
        bool b => b ? "true" : "false",
        IFormattable f when value is int or long or double or decimal or float => f.ToString(null, CultureInfo.InvariantCulture),
        JsonElement { ValueKind: JsonValueKind.String } e => e.GetString()!,
        _ => JsonSerializer.Serialize(value, value.GetType(), SlackJson.Options),
    };

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => _items.GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
