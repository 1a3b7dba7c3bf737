using Bot.Database;
using Hangfire;
using Npgsql;

namespace Bot.ActionItems.Chasing;

/// <summary>Declares the chase run once per start, under the migration lock (concurrent AddOrUpdate from several
/// instances fails, Hangfire.PostgreSql#73). Bot:ActionItems:RunCron, in UTC (every minute by default): each owner's own
/// chase time is found by the run.</summary>
public sealed class ChaseRecurringJob(IRecurringJobManager recurring, Microsoft.Extensions.Options.IOptions<ActionItemOptions> options) : IStartupUnderLock
{
    public Task Run(NpgsqlConnection connection, CancellationToken ct)
    {
        recurring.AddOrUpdate<ChaseRunJob>(ChaseRunJob.RecurringId, j => j.Run(CancellationToken.None), options.Value.RunCron,
            new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
        return Task.CompletedTask;
    }
}
