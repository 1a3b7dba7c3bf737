using Bot.Database;
using Hangfire;
using Hangfire.Common;
using Hangfire.PostgreSql;
using Hangfire.Storage;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Bot.ActionItems.Chasing;

/// <summary>Declares the chase run once per start, under the migration lock (concurrent AddOrUpdate from several
/// instances fails, Hangfire.PostgreSql#73). Bot:ActionItems:RunCron, in UTC (every minute by default): each owner's own
/// chase time is found by the run.</summary>
public sealed class ChaseRecurringJob(
    IRecurringJobManager recurring,
    JobStorage storage,
    Microsoft.Extensions.Options.IOptions<ActionItemOptions> options,
    ILogger<ChaseRecurringJob> log) : IStartupUnderLock
{
    private static readonly TimeSpan RetryEvery = TimeSpan.FromSeconds(30);

    public Task Run(NpgsqlConnection connection, CancellationToken ct)
    {
        // Unchanged since the last start: nothing to write, so no Hangfire lock to take.
        if (AlreadyDeclared()) return Task.CompletedTask;
        try
        {
            Declare();
        }
        catch (PostgreSqlDistributedLockException e)
        {
            // A process killed while its recurring-job scheduler held this job's lock leaves the lock row behind until
            // Hangfire.PostgreSql's DistributedLockTimeout (10 min) passes. The schedule it declared stays in force, so the
            // bot starts anyway and declares the new one when the lock is free.
            log.LogWarning("The action-item chase schedule could not be updated now ({Cause}); trying again every {Every}",
                e.Message, RetryEvery);
            _ = RetryLater(ct);
        }
        return Task.CompletedTask;
    }

    private void Declare() =>
        recurring.AddOrUpdate<ChaseRunJob>(ChaseRunJob.RecurringId, j => j.Run(CancellationToken.None), options.Value.RunCron,
            new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });

    private bool AlreadyDeclared()
    {
        using var connection = storage.GetConnection();
        var stored = connection.GetAllEntriesFromHash($"recurring-job:{ChaseRunJob.RecurringId}");
        if (stored is null) return false;
        var job = InvocationData.SerializeJob(Job.FromExpression<ChaseRunJob>(j => j.Run(CancellationToken.None))).SerializePayload();
        return stored.GetValueOrDefault("Cron") == options.Value.RunCron
               && stored.GetValueOrDefault("TimeZoneId") is "UTC" or "Etc/UTC"
               && stored.GetValueOrDefault("Job") == job;
    }

    private async Task RetryLater(CancellationToken ct)
    {
        // ct is the startup token: the retries must outlive startup, so they stop with the process instead.
        _ = ct;
        for (var attempt = 1; attempt <= 40; attempt++)
        {
            await Task.Delay(RetryEvery).ConfigureAwait(false);
            try
            {
                Declare();
                log.LogInformation("The action-item chase schedule is declared ({Cron} UTC)", options.Value.RunCron);
                return;
            }
            catch (Exception e) when (e is PostgreSqlDistributedLockException or NpgsqlException)
            {
                log.LogDebug("The action-item chase schedule is still locked ({Cause})", e.Message);
            }
        }
        log.LogWarning("The action-item chase schedule could not be updated in 20 minutes; the previous one stays in force until the next start");
    }
}
