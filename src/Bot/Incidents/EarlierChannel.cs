using System.Text.Json;
using Bot.Slack.WebApi;

namespace Bot.Incidents;

/// <summary>Closes the crash window of channel creation: when the job died after Slack created the channel but
/// before its id was stored, the retry meets name_taken on its own channel. When an earlier run asked for that name
/// (incidents.channel_names_tried), a channel of that name that the bot created since the incident was opened,
/// and that no incident holds, is that channel: adopt it rather than opening a second one with a suffix.</summary>
public sealed class EarlierChannel(ISlackApi slack, IncidentStore incidents)
{
    /// <summary>Some slack around "since the incident was opened": Slack's clock and ours differ a little.</summary>
    private static readonly TimeSpan ClockSlack = TimeSpan.FromMinutes(2);

    public async Task<string?> Find(Incident incident, string name, string? botUserId, CancellationToken ct)
    {
        if (botUserId is null) return null;
        var opened = new DateTimeOffset(DateTime.SpecifyKind(incident.CreatedAt, DateTimeKind.Utc)) - ClockSlack;
        string? cursor = null;
        do
        {
            // conversations.list has no filter by name; a name_taken is rare, so walking the list is fine.
            var page = await slack.Call("conversations.list", new Dictionary<string, object?>
            {
                ["types"] = incident.IsPrivate ? "private_channel" : "public_channel",
                ["exclude_archived"] = true,
                ["limit"] = 1000,
                ["cursor"] = cursor,
            }, ct);
            var channels = page.TryGetProperty("channels", out var list) && list.ValueKind == JsonValueKind.Array
                ? list.EnumerateArray().ToList()
                : [];
            foreach (var channel in channels)
            {
                if (Str(channel, "name") != name) continue;
                var created = channel.TryGetProperty("created", out var c) && c.TryGetInt64(out var s) ? DateTimeOffset.FromUnixTimeSeconds(s) : DateTimeOffset.MinValue;
                var id = Str(channel, "id");
                if (id is null || Str(channel, "creator") != botUserId || created < opened) return null;
                return await incidents.ByChannel(id, ct) is null ? id : null;
            }
            cursor = page.TryGetProperty("response_metadata", out var meta) ? Str(meta, "next_cursor") : null;
        } while (!string.IsNullOrEmpty(cursor));
        return null;
    }

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
