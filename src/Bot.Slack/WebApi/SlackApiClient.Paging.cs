using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Bot.Slack.WebApi;

public sealed partial class SlackApiClient
{
    /// <summary>Follows response_metadata.next_cursor until Slack gives none, collecting the items of one
    /// array property. A cursor seen twice, or more than MaxPages pages, ends the loop instead of spinning.</summary>
    internal async Task<IReadOnlyList<T>> Paginate<T>(string method, SlackArgs args, string itemsProperty,
        Func<JsonElement, T> map, CancellationToken ct)
    {
        var items = new List<T>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        string? cursor = null;
        for (var page = 0; page < _options.MaxPages; page++)
        {
            var pageArgs = args.With("limit", _options.PageSize).With("cursor", cursor);
            var root = await PostForm(method, pageArgs, ct).ConfigureAwait(false);
            items.AddRange(root.Array(itemsProperty).Select(map));
            cursor = root.NextCursor();
            if (cursor is null || !seen.Add(cursor)) return items;
        }
        _log.LogWarning("Slack {Method}: stopped after {Pages} pages", method, _options.MaxPages);
        return items;
    }
}
