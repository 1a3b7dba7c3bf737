using Dapper;

namespace Bot.Database;

/// <summary>The claim on a request for one file in someone's DM (document_uploads, stats_requests: id, claimed_at,
/// sent_at, file_id): the job claims the row for a lease, uploads, marks it sent; a failed upload releases the claim for
/// Hangfire's retry, and a claim older than the lease (a process that died holding it) can be taken again.</summary>
public sealed class UploadClaims(Db db, TimeProvider time, string table)
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    /// <summary>The row's <paramref name="returning"/> columns, when it is not sent yet and nobody else holds a fresh
    /// claim on it.</summary>
    public async Task<T?> Claim<T>(Guid id, string returning, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<T>(new CommandDefinition($"""
            update {table} set claimed_at = @now
            where id = @id and sent_at is null and (claimed_at is null or claimed_at < @stale)
            returning {returning}
            """, new { id, now, stale = now - Lease }, cancellationToken: ct));
    }

    public async Task Sent(Guid id, string fileId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(
            $"update {table} set sent_at = @now, file_id = @fileId where id = @id",
            new { id, fileId, now = time.GetUtcNow() }, cancellationToken: ct));
    }

    public async Task Release(Guid id)
    {
        await using var conn = await db.OpenConnectionAsync();
        await conn.ExecuteAsync($"update {table} set claimed_at = null where id = @id and sent_at is null", new { id });
    }
}
