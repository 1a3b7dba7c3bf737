using Bot.Database;
using Dapper;

namespace Bot.Timeline;

/// <summary>One timeline entry as the document sees it: reactions folded into sections, pins into highlights.</summary>
public sealed class TimelineRow
{
    public long Id { get; set; }
    public string Kind { get; set; } = "";
    public string? SlackTs { get; set; }
    public string? ThreadTs { get; set; }
    public string? UserId { get; set; }
    public string? Text { get; set; }
    public DateTime OccurredAt { get; set; }
    public bool Edited { get; set; }
    public DateTime? DeletedAt { get; set; }
    public string? Data { get; set; }
    public string? Permalink { get; set; }
    public string? SourceChannelId { get; set; }
    public bool Pinned { get; set; }
    public string[] Sections { get; set; } = [];
    public string[] Files { get; set; } = [];
    public string[] Images { get; set; } = [];
}

public sealed class TimelineReader(Db db)
{
    /// <summary>The entries in time order (ties: in the order they were recorded); deleted ones only when asked.</summary>
    public async Task<IReadOnlyList<TimelineRow>> Entries(long incidentId, bool includeDeleted, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<TimelineRow>(new CommandDefinition($"""
            {Columns}
            from timeline_entries e
            where e.incident_id = @incidentId and (@includeDeleted or e.deleted_at is null)
            order by e.occurred_at, e.id
            """, new { incidentId, includeDeleted }, cancellationToken: ct));
        return rows.AsList();
    }

    /// <summary>Page <paramref name="page"/> (from 0, clamped to the last) of the entries that are not deleted, in
    /// the order of <see cref="Entries"/>, and how many such entries there are. Reads only that page's rows: an
    /// incident with 10,000 entries answers /incident timeline without converting all of them.</summary>
    public async Task<(IReadOnlyList<TimelineRow> Rows, int Page, int Total)> Page(long incidentId, int page, int size, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var total = await conn.ExecuteScalarAsync<int>(new CommandDefinition(
            "select count(*) from timeline_entries where incident_id = @incidentId and deleted_at is null", new { incidentId }, cancellationToken: ct));
        var pages = Math.Max(1, (total + size - 1) / size);
        page = Math.Clamp(page, 0, pages - 1);
        // The page is cut first, so the look-ups of reactions, pins and files run for its rows only.
        var rows = await conn.QueryAsync<TimelineRow>(new CommandDefinition($"""
            {Columns}
            from (select * from timeline_entries
                  where incident_id = @incidentId and deleted_at is null
                  order by occurred_at, id limit @size offset @offset) e
            order by e.occurred_at, e.id
            """, new { incidentId, size, offset = page * size }, cancellationToken: ct));
        return (rows.AsList(), page, total);
    }

    private const string Columns = """
        select e.id, e.kind, e.slack_ts, e.thread_ts, e.user_id, e.text, e.occurred_at, e.edited, e.deleted_at,
               e.data::text as data, e.permalink, e.source_channel_id,
               (e.kind = 'message' and exists (select 1 from timeline_pins p
                    where p.incident_id = e.incident_id and p.slack_ts = e.slack_ts)) as pinned,
               array(select distinct r.section from timeline_reactions r
                    where e.kind = 'message' and r.incident_id = e.incident_id and r.slack_ts = e.slack_ts order by 1) as sections,
               array(select coalesce(f.title, f.name, f.file_id) from timeline_files f
                    where e.kind = 'message' and f.incident_id = e.incident_id and f.slack_ts = e.slack_ts and not f.is_image order by f.file_id) as files,
               array(select coalesce(f.permalink, f.file_id) from timeline_files f
                    where e.kind = 'message' and f.incident_id = e.incident_id and f.slack_ts = e.slack_ts and f.is_image order by f.file_id) as images
        """;
}
