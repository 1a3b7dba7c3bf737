using Dapper;
using Npgsql;

namespace Bot.Workspace;

/// <summary>workspace_states and workspace_parked_jobs. A singleton (the Hangfire filter uses it from a worker thread);
/// a connection per call. On the data source rather than Db: Db needs the job client, which needs the job filters.</summary>
public sealed class WorkspaceStore(NpgsqlDataSource db)
{
    public async Task<WorkspaceState?> Find(string teamId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return (await conn.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            "select team_id, state as state_name, since, reason from workspace_states where team_id = @teamId", new { teamId }, cancellationToken: ct)))?.State();
    }

    /// <summary>The workspaces the bot may not talk to. One deployment has one bot token, so this is at most one row
    /// in practice; it is what the job filter asks when the bot does not know its own team yet.</summary>
    public async Task<IReadOnlyList<WorkspaceState>> NotInstalled(CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return (await conn.QueryAsync<Row>(new CommandDefinition(
            "select team_id, state as state_name, since, reason from workspace_states where state <> 'installed'", cancellationToken: ct))).Select(r => r.State()).ToList();
    }

    /// <summary>Records the state unless a later one is already recorded (Slack retries an event minutes late: an
    /// app_uninstalled from before a reinstall must not undo it; between two refusals the later word wins). True when the
    /// state changed.</summary>
    public async Task<bool> Set(string teamId, string state, DateTimeOffset since, string reason, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.ExecuteScalarAsync<int?>(new CommandDefinition("""
            insert into workspace_states (team_id, state, since, reason) values (@teamId, @state, @since, @reason)
            on conflict (team_id) do update set state = excluded.state, since = excluded.since, reason = excluded.reason
                where workspace_states.state <> excluded.state
                  and (workspace_states.since <= excluded.since or (workspace_states.state <> 'installed' and excluded.state <> 'installed'))
            returning 1
            """, new { teamId, state, since, reason }, cancellationToken: ct)) is not null;
    }

    public async Task Parked(string jobId, string teamId, string job, DateTimeOffset at)
    {
        await using var conn = await db.OpenConnectionAsync();
        await conn.ExecuteAsync("""
            insert into workspace_parked_jobs (job_id, team_id, job, parked_at) values (@jobId, @teamId, @job, @at)
            on conflict (job_id) do nothing
            """, new { jobId, teamId, job, at });
    }

    public async Task<long> ParkedCount(string teamId)
    {
        await using var conn = await db.OpenConnectionAsync();
        return await conn.ExecuteScalarAsync<long>("select count(*) from workspace_parked_jobs where team_id = @teamId", new { teamId });
    }

    public async Task<IReadOnlyList<string>> ParkedJobs(string teamId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return (await conn.QueryAsync<string>(new CommandDefinition(
            "select job_id from workspace_parked_jobs where team_id = @teamId order by parked_at", new { teamId }, cancellationToken: ct))).AsList();
    }

    public async Task Unparked(string jobId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition("delete from workspace_parked_jobs where job_id = @jobId", new { jobId }, cancellationToken: ct));
    }

    private sealed class Row
    {
        public string TeamId { get; set; } = "";
        public string StateName { get; set; } = "";
        public DateTime Since { get; set; }
        public string Reason { get; set; } = "";

        public WorkspaceState State() => new(TeamId, StateName, new DateTimeOffset(DateTime.SpecifyKind(Since, DateTimeKind.Utc)), Reason);
    }
}
