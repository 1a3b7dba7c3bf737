using Bot.Database;
using Dapper;

namespace Bot.Stats;

/// <summary>Requests for a stats chart in someone's DM (stats_requests), and the job's claim on them.</summary>
public sealed class StatsRequests(Db db, TimeProvider time)
{
    private static readonly TimeSpan ClaimLease = TimeSpan.FromMinutes(5);

    public sealed record Claimed(string TeamId, string UserId, int Days, DateTime UntilAt)
    {
        public DateTimeOffset Until => new(DateTime.SpecifyKind(UntilAt, DateTimeKind.Utc));
    }

    /// <summary>Records the request and enqueues its one job, together.</summary>
    public Task<Guid> Request(string teamId, string userId, int days, DateTimeOffset until, CancellationToken ct) =>
        db.InTransaction(async (conn, jobs) =>
        {
            var id = Guid.NewGuid();
            await conn.ExecuteAsync(new CommandDefinition("""
                insert into stats_requests (id, team_id, user_id, days, until_at) values (@id, @teamId, @userId, @days, @until)
                """, new { id, teamId, userId, days, until }, cancellationToken: ct));
            jobs.Enqueue<StatsChartJob>(j => j.Run(id, CancellationToken.None));
            return id;
        }, ct);

    /// <summary>The request, when it is not sent yet and nobody else holds a fresh claim on it.</summary>
    public async Task<Claimed?> Claim(Guid id, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<Claimed>(new CommandDefinition("""
            update stats_requests set claimed_at = @now
            where id = @id and sent_at is null and (claimed_at is null or claimed_at < @stale)
            returning team_id, user_id, days, until_at
            """, new { id, now, stale = now - ClaimLease }, cancellationToken: ct));
    }

    public async Task Sent(Guid id, string fileId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(
            "update stats_requests set sent_at = @now, file_id = @fileId where id = @id",
            new { id, fileId, now = time.GetUtcNow() }, cancellationToken: ct));
    }

    public async Task Release(Guid id)
    {
        await using var conn = await db.OpenConnectionAsync();
        await conn.ExecuteAsync("update stats_requests set claimed_at = null where id = @id and sent_at is null", new { id });
    }
}
