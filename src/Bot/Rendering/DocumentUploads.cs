using Bot.Database;
using Dapper;
using Npgsql;

namespace Bot.Rendering;

/// <summary>Requests to upload the full document into someone's DM (document_uploads), and the job's claim on them.</summary>
public sealed class DocumentUploads(Db db, TimeProvider time)
{
    public const string Preview = "preview";
    public const string Prep = "prep";
    private readonly UploadClaims _claims = new(db, time, "document_uploads");

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
    public Task<Claimed?> Claim(Guid id, CancellationToken ct) => _claims.Claim<Claimed?>(id, "incident_id, user_id, reason", ct);

    public Task Sent(Guid id, string fileId, CancellationToken ct) => _claims.Sent(id, fileId, ct);

    public Task Release(Guid id) => _claims.Release(id);
}
