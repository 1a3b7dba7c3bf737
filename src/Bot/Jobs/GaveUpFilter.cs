using Hangfire.Common;
using Hangfire.States;
using Hangfire.Storage;

namespace Bot.Jobs;

/// <summary>Something to do when Hangfire gives up on a job (its retries are spent, or it failed for good): a
/// feature registers one to tell a person instead of leaving the job Failed where nobody looks.</summary>
public interface IJobGaveUp
{
    Task GaveUp(Job job, Exception? exception, CancellationToken ct);
}

/// <summary>Calls every <see cref="IJobGaveUp"/> when a job enters the Failed state. AutomaticRetry turns a
/// failure with attempts left into Scheduled during the election, so Failed is applied only once the last attempt
/// failed. The filter belongs to this app instance (IJobFilterProvider in DI, not GlobalJobFilters), so two
/// instances in one process never see each other's jobs.</summary>
internal sealed class GaveUpFilter(IServiceScopeFactory scopes, ILogger<GaveUpFilter> logger) : IApplyStateFilter
{
    public void OnStateApplied(ApplyStateContext context, IWriteOnlyTransaction transaction)
    {
        if (context.NewState is not FailedState failed || context.BackgroundJob?.Job is not { } job) return;
        using var scope = scopes.CreateScope();
        foreach (var handler in scope.ServiceProvider.GetServices<IJobGaveUp>())
        {
            try
            {
                // Hangfire's state filters are synchronous; this runs on a worker thread (no synchronization context).
                handler.GaveUp(job, failed.Exception, CancellationToken.None).GetAwaiter().GetResult();
            }
            catch (Exception e)
            {
                logger.LogError(e, "Job {JobId} ({Type}.{Method}) failed for good, and telling somebody failed too",
                    context.BackgroundJob.Id, job.Type.Name, job.Method.Name);
            }
        }
    }

    public void OnStateUnapplied(ApplyStateContext context, IWriteOnlyTransaction transaction) { }
}
