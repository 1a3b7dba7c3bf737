using Bot.Operations;
using Hangfire.Server;

namespace Bot.Jobs;

/// <summary>Counts each job attempt this instance's server performs (bot.jobs.run) and each that threw (bot.jobs.failed),
/// by job class. A server filter of this app instance (like GaveUpFilter), so two apps in one process count apart.</summary>
internal sealed class JobMetricsFilter(BotMetrics metrics) : IServerFilter
{
    public void OnPerforming(PerformingContext context) { }

    public void OnPerformed(PerformedContext context)
    {
        var job = context.BackgroundJob.Job?.Type.Name ?? "unknown";
        metrics.JobRun(job);
        // An attempt cut short because the server is stopping is requeued, not failed.
        var stopping = context.Exception is OperationCanceledException && context.CancellationToken.ShutdownToken.IsCancellationRequested;
        if (context.Exception is not null && !context.ExceptionHandled && !stopping) metrics.JobFailed(job);
    }
}
