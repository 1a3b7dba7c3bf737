using Bot.Database;
using Dapper;
using Npgsql;

namespace Bot.Rendering;

/// <summary>Requests to upload the full document into someone's DM (document_uploads), and the job's claim on them.</summary>
public sealed class DocumentUploads(Db db, TimeProvider time)
{
    public const string Preview = "preview";
    public const string Prep = "prep";
    private static readonly TimeSpan ClaimLease = TimeSpan.FromMinutes(5);

    public sealed record Claimed(long IncidentId, string UserId, string Reason);

    /// <summary>Records the request and enqueues its job in the caller's transaction; a second 'prep' request of the
    /// same incident records and enqueues nothing.</summary>
    public static async Task<Guid?> Request(NpgsqlConnection conn, TransactionalJobs jobs, long incidentId, string userId, string reason,
        DateTimeOffset now, CancellationToken ct)
    {
        var id = await conn.ExecuteScalarAsync<Guid?>(new CommandDefinition("""
            insert into document_uploads (id, incident_id, user_id, reason, requested_at)
            values (@id, @incidentId, @userId, @reason, @now)
            on conflict do nothing
            returning id
            """, new { id = Guid.NewGuid(), incidentId, userId, reason, now }, cancellationToken: ct));
        if (id is { } uploadId) jobs.Enqueue<DocumentUploadJob>(j => j.Run(uploadId, CancellationToken.None));
        return id;
    }

    /// <summary>The request, when it is not sent yet and nobody else holds a fresh claim on it.</summary>
    public async Task<Claimed?> Claim(Guid id, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<Claimed>(new CommandDefinition("""
            update document_uploads set claimed_at = @now
            where id = @id and sent_at is null and (claimed_at is null or claimed_at < @stale)
            returning incident_id, user_id, reason
            """, new { id, now, stale = now - ClaimLease }, cancellationToken: ct));
    }

    public async Task Sent(Guid id, string fileId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(
            "update document_uploads set sent_at = @now, file_id = @fileId where id = @id",
            new { id, fileId, now = time.GetUtcNow() }, cancellationToken: ct));
    }

    public async Task Release(Guid id)
    {
        await using var conn = await db.OpenConnectionAsync();
        await conn.ExecuteAsync("update document_uploads set claimed_at = null where id = @id and sent_at is null", new { id });
    }
}
