using Bot.Database;
using Bot.Hosting;
using Bot.Jobs;
using Bot.Slack;
using Bot.Slack.Diagnostics;
using Dapper;
using Hangfire;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Bot.Operations;

/// <summary>One check of /readyz: its name, whether it passes, and what it saw.</summary>
public sealed record ReadinessCheck(string Name, bool Ok, string Detail);

public sealed record ReadinessReport(bool Ready, IReadOnlyList<ReadinessCheck> Checks);

/// <summary>What /readyz answers: the database answers and has every migration this build knows; this instance's
/// Hangfire server sent a heartbeat within the last minute; Slack accepted the bot token (auth.test) within the last
/// minute, or the Socket Mode connection is up. /healthz stays the process check (it answers while any of these is
/// down, so an orchestrator restarts the bot only when the process itself is stuck).</summary>
public sealed class Readiness(
    NpgsqlDataSource db,
    JobStorage storage,
    HangfireServerIdentity server,
    IOptions<HangfireSettings> hangfire,
    SlackAuthProbe slack,
    SocketModeStatus socketMode,
    IOptions<SlackOptions> slackOptions)
{
    private static readonly TimeSpan Fresh = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(3);
    private static readonly Lazy<int> LatestMigration = new(() => Migrator.LoadEmbedded().Max(m => m.Version));

    public async Task<ReadinessReport> Check(CancellationToken ct)
    {
        var database = await Database(ct);
        // Hangfire's storage is the same database: when that is down, so is the heartbeat check.
        var checks = new List<ReadinessCheck> { database, await Hangfire(ct), Slack() };
        return new ReadinessReport(checks.TrueForAll(c => c.Ok), checks);
    }

    private async Task<ReadinessCheck> Database(CancellationToken ct)
    {
        const string name = "database";
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(CheckTimeout);
        try
        {
            await using var connection = await db.OpenConnectionAsync(timeout.Token);
            var applied = await connection.ExecuteScalarAsync<int?>(new CommandDefinition(
                "select max(version) from schema_migrations", cancellationToken: timeout.Token)) ?? 0;
            var latest = LatestMigration.Value;
            return applied >= latest
                ? new ReadinessCheck(name, true, $"migrated to {latest:D4}")
                : new ReadinessCheck(name, false, $"at migration {applied:D4}, this build needs {latest:D4}");
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return new ReadinessCheck(name, false, "not migrated yet");
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException or TimeoutException && !ct.IsCancellationRequested)
        {
            return new ReadinessCheck(name, false, e is OperationCanceledException ? $"no answer within {CheckTimeout.TotalSeconds:0} s" : e.Message);
        }
    }

    private async Task<ReadinessCheck> Hangfire(CancellationToken ct)
    {
        const string name = "hangfire";
        if (!hangfire.Value.ServerEnabled) return new ReadinessCheck(name, true, "no server in this instance (Bot:Hangfire:ServerEnabled is false)");
        try
        {
            // The monitoring API is synchronous; it runs on the thread pool with the same time limit as the database check.
            var servers = await Task.Run(() => storage.GetMonitoringApi().Servers(), ct).WaitAsync(CheckTimeout, ct);
            var mine = servers.FirstOrDefault(s => server.Owns(s.Name));
            if (mine?.Heartbeat is not { } beat) return new ReadinessCheck(name, false, "this instance's Hangfire server is not running");
            var age = DateTime.UtcNow - DateTime.SpecifyKind(beat, DateTimeKind.Utc);
            return age <= Fresh
                ? new ReadinessCheck(name, true, $"server {mine.Name} alive ({age.TotalSeconds:0} s since its heartbeat)")
                : new ReadinessCheck(name, false, $"server {mine.Name} sent no heartbeat for {age.TotalSeconds:0} s");
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException && !ct.IsCancellationRequested)
        {
            return new ReadinessCheck(name, false, e is TimeoutException ? $"storage gave no answer within {CheckTimeout.TotalSeconds:0} s" : e.Message);
        }
    }

    private ReadinessCheck Slack()
    {
        const string name = "slack";
        if (slackOptions.Value.UseSocketMode && socketMode.Connected) return new ReadinessCheck(name, true, "Socket Mode connected");
        if (slack.LastAccepted is { } at && TimeProvider.System.GetUtcNow() - at <= Fresh)
            return new ReadinessCheck(name, true, $"auth.test ok {(TimeProvider.System.GetUtcNow() - at).TotalSeconds:0} s ago");
        var why = slack.LastFailure is { } failure ? $": {failure}" : "";
        return new ReadinessCheck(name, false,
            (slackOptions.Value.UseSocketMode ? "Socket Mode not connected and " : "") + $"no auth.test accepted in the last minute{why}");
    }
}
