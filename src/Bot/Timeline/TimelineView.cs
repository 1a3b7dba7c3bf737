using System.Globalization;
using Bot.Incidents;
using Bot.People;
using Bot.Slack.Blocks;
using Bot.Slack.Handlers;
using Microsoft.Extensions.Options;

namespace Bot.Timeline;

/// <summary>/incident timeline: an ephemeral, paged view of the draft timeline, newest page last.</summary>
public sealed class TimelineView(TimelineReader reader, UserDirectory people, IOptions<IncidentOptions> options)
{
    public const string PreviousAction = "timeline_prev";
    public const string NextAction = "timeline_next";

    public async Task<MessageResponse> Page(Incident incident, int page, CancellationToken ct)
    {
        var size = options.Value.TimelinePageSize;
        var (slice, at, total) = await reader.Page(incident.Id, page, size, ct);
        page = at;
        var pages = Math.Max(1, (total + size - 1) / size);

        var userIds = slice.SelectMany(r => Mentions.UserIds(r.Text).Append(r.UserId ?? "").Concat(DataUsers(r)));
        var names = await people.People(userIds, ct);
        var groups = await people.GroupHandles(slice.SelectMany(r => Mentions.GroupIds(r.Text)), ct);
        var lines = TimelineText.WithDays(slice.Select(r =>
            (r, TimelineText.Line(r, id => names.TryGetValue(id, out var p) ? p.Name : null, id => groups.GetValueOrDefault(id))))).ToList();

        var blocks = new List<Block>
        {
            Block.Context($"*Incident #{incident.Number}* {Mrkdwn.Escape(incident.Title)} · page {page + 1} of {pages} · {total} entries"),
        };
        if (lines.Count == 0) blocks.Add(Block.Section("Nothing captured yet."));
        blocks.AddRange(Chunk(lines).Select(text => Block.Section(text)));

        var buttons = new List<BlockElement>();
        var value = (int p) => string.Create(CultureInfo.InvariantCulture, $"{incident.Id}:{p}");
        if (page > 0) buttons.Add(new ButtonElement(PreviousAction, "Earlier") { Value = value(page - 1) });
        if (page < pages - 1) buttons.Add(new ButtonElement(NextAction, "Later") { Value = value(page + 1) });
        if (buttons.Count > 0) blocks.Add(Block.Actions([.. buttons]));

        return new MessageResponse
        {
            ResponseType = "ephemeral",
            Text = $"Timeline of incident #{incident.Number}, page {page + 1} of {pages}",
            Blocks = blocks,
            ReplaceOriginal = true,
        };
    }

    /// <summary>Commander and role entries name a second person (the new holder) in their data.</summary>
    private static IEnumerable<string> DataUsers(TimelineRow r)
    {
        if (r.Kind is not (EntryKinds.Commander or EntryKinds.Role) || r.Data is null) return [];
        using var doc = System.Text.Json.JsonDocument.Parse(r.Data);
        return doc.RootElement.TryGetProperty("to", out var to) && to.ValueKind == System.Text.Json.JsonValueKind.String ? [to.GetString()!] : [];
    }

    /// <summary>Section text is capped at 3000 characters: lines are packed into as few sections as fit.</summary>
    private static IEnumerable<string> Chunk(IEnumerable<string> lines)
    {
        const int max = 2900;
        var current = new System.Text.StringBuilder();
        foreach (var line in lines)
        {
            var l = line.Length > max ? line[..max] + "…" : line;
            if (current.Length > 0 && current.Length + l.Length + 1 > max)
            {
                yield return current.ToString();
                current.Clear();
            }
            if (current.Length > 0) current.Append('\n');
            current.Append(l);
        }
        if (current.Length > 0) yield return current.ToString();
    }
}
