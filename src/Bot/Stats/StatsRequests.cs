using Bot.Database;
using Dapper;

namespace Bot.Stats;

/// <summary>Requests for a stats chart in someone's DM (stats_requests), and the job's claim on them.</summary>
public sealed class StatsRequests(Db db, TimeProvider time)
{
    private readonly UploadClaims _claims = new(db, time, "stats_requests");

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
    public Task<Claimed?> Claim(Guid id, CancellationToken ct) => _claims.Claim<Claimed?>(id, "team_id, user_id, days, until_at", ct);

    public Task Sent(Guid id, string fileId, CancellationToken ct) => _claims.Sent(id, fileId, ct);

    public Task Release(Guid id) => _claims.Release(id);
}
