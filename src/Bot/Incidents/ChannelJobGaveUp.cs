using Bot.Jobs;
using Hangfire.Common;

namespace Bot.Incidents;

/// <summary>OpenIncidentChannelJob's retries are spent (Slack kept failing, or something on our side did): the
/// incident records it and the reporter is told, as when the job meets an error no retry can fix.</summary>
public sealed class ChannelJobGaveUp(ChannelFailures failures, ILogger<ChannelJobGaveUp> logger) : IJobGaveUp
{
    public async Task GaveUp(Job job, Exception? exception, CancellationToken ct)
    {
        if (job.Type != typeof(OpenIncidentChannelJob) || job.Args.Count == 0 || job.Args[0] is not long incidentId) return;
        var error = OpenIncidentChannelJob.ErrorCode(exception);
        logger.LogWarning("Incident {Id}: gave up opening its channel after every retry ({Error})", incidentId, error);
        await failures.Record(incidentId, error, ct);
    }
}
