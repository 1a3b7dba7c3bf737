using System.Text.Json;
using Bot.Database;
using Dapper;

namespace Bot.Postmortems;

/// <summary>A postmortems row as read by Dapper: what commands and jobs use. The draft snapshot (jsonb: the document as
/// built at resolve) is only written (SaveDraft), so reading a row does not load it.</summary>
public sealed class PostmortemRow
{
    public long IncidentId { get; set; }
    public DateTime ResolvedAt { get; set; }
    public string? Summary { get; set; }
    public string PointPersonId { get; set; } = "";
    public DateTime? ProposedStart { get; set; }

    public DateTimeOffset Resolved => new(DateTime.SpecifyKind(ResolvedAt, DateTimeKind.Utc));
}

public sealed class PostmortemStore(Db db, TimeProvider time)
{
    private static readonly TimeSpan ClaimLease = TimeSpan.FromMinutes(5);

    public async Task<PostmortemRow?> Get(long incidentId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<PostmortemRow>(new CommandDefinition("""
            select incident_id, resolved_at, summary, point_person_id, proposed_start
            from postmortems where incident_id = @incidentId
            """, new { incidentId }, cancellationToken: ct));
    }

    public async Task SaveDraft(long incidentId, Bot.Documents.PostmortemDocument draft, DateTimeOffset proposedStart, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition("""
            update postmortems set draft = @draft::jsonb, drafted_at = @now, proposed_start = coalesce(proposed_start, @proposedStart)
            where incident_id = @incidentId
            """, new { incidentId, draft = JsonSerializer.Serialize(draft), now = time.GetUtcNow(), proposedStart },
            cancellationToken: ct));
    }

    /// <summary>True when this caller may send the prep DM now: it was not sent, and nobody else holds a fresh claim.</summary>
    public async Task<bool> ClaimPrepDm(long incidentId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using var conn = await db.OpenConnectionAsync(ct);
        var claimed = await conn.ExecuteScalarAsync<long?>(new CommandDefinition("""
            update postmortems set prep_dm_claimed_at = @now
            where incident_id = @incidentId and prep_dm_sent_at is null
              and (prep_dm_claimed_at is null or prep_dm_claimed_at < @stale)
            returning incident_id
            """, new { incidentId, now, stale = now - ClaimLease }, cancellationToken: ct));
        return claimed is not null;
    }

    public async Task PrepDmSent(long incidentId, string channel, string ts, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition("""
            update postmortems set prep_dm_sent_at = @now, prep_dm_channel = @channel, prep_dm_ts = @ts where incident_id = @incidentId
            """, new { incidentId, channel, ts, now = time.GetUtcNow() }, cancellationToken: ct));
    }

    public async Task ReleasePrepDm(long incidentId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(
            "update postmortems set prep_dm_claimed_at = null where incident_id = @incidentId and prep_dm_sent_at is null",
            new { incidentId }, cancellationToken: CancellationToken.None));
    }
}
