using Bot.Incidents;
using Bot.Jobs;
using Hangfire.Common;

namespace Bot.History;

/// <summary>BackfillJob's retries are spent (Slack kept failing, or something on our side did): the backfill records
/// it, so <c>/incident backfill</c> may run again, and the progress message says so.</summary>
public sealed class BackfillGaveUp(IncidentStore incidents, BackfillJob job, ILogger<BackfillGaveUp> logger) : IJobGaveUp
{
    public async Task GaveUp(Job failed, Exception? exception, CancellationToken ct)
    {
        if (failed.Type != typeof(BackfillJob) || failed.Args.Count == 0 || failed.Args[0] is not long incidentId) return;
        if (await incidents.Get(incidentId, ct) is not { } incident) return;
        var error = OpenIncidentChannelJob.ErrorCode(exception);
        logger.LogWarning("Incident {Id}: gave up backfilling its channel after every retry ({Error})", incidentId, error);
        await job.Stopped(incident, error, ct);
    }
}
