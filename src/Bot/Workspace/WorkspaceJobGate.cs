using Bot.Jobs;
using Bot.Slack.WebApi;
using Hangfire.States;

namespace Bot.Workspace;

/// <summary>Keeps Hangfire jobs from calling Slack for a workspace that removed the app or revoked its token, without
/// burning their retries: a job about to run is parked instead (ParkedState, listed in workspace_parked_jobs), a
/// recurring run is skipped (Deleted, the next run comes anyway), and a job that failed because Slack refused the
/// token records that and is parked instead of being retried into the same answer. Runs before AutomaticRetry (lower
/// Order), so the retry filter never sees those failures.</summary>
internal sealed class WorkspaceJobGate(WorkspaceAccess access, WorkspaceStore store, TimeProvider time, ILogger<WorkspaceJobGate> logger)
    : IElectStateFilter, IBotJobFilter
{
    public int Order => -100;

    public void OnStateElection(ElectStateContext context)
    {
        if (context.BackgroundJob?.Job is null) return;
        switch (context.CandidateState)
        {
            case ProcessingState when access.Blocked() is { } blocked:
                Hold(context, blocked.TeamId, $"Workspace {blocked.TeamId} is {blocked.State} ({blocked.Reason})");
                break;
            case FailedState failed when RefusedToken(failed.Exception) is { } error && access.TeamId is { } team:
                access.Refused(team, WorkspaceState.Revoked, time.GetUtcNow(), $"Slack answered {error}", CancellationToken.None).GetAwaiter().GetResult();
                Hold(context, team, $"Workspace {team} is revoked (Slack answered {error})");
                break;
        }
    }

    private void Hold(ElectStateContext context, string teamId, string reason)
    {
        var job = context.BackgroundJob.Job;
        var what = $"{job.Type.Name}.{job.Method.Name}";
        if (context.GetJobParameter<string>("RecurringJobId") is { Length: > 0 } recurring)
        {
            context.CandidateState = new DeletedState { Reason = $"Skipped: {reason}" };
            logger.LogInformation("Recurring job {Recurring} ({Job}) skipped: {Reason}", recurring, what, reason);
            return;
        }
        var now = time.GetUtcNow();
        context.CandidateState = new ParkedState(teamId, reason, now);
        store.Parked(context.BackgroundJob.Id, teamId, what, now).GetAwaiter().GetResult();
        logger.LogWarning("Job {JobId} ({Job}) parked: {Reason}; {Count} jobs are parked until the app is reinstalled",
            context.BackgroundJob.Id, what, reason, store.ParkedCount(teamId).GetAwaiter().GetResult());
    }

    /// <summary>The Slack error when the failure (or what it wraps) is Slack refusing the token.</summary>
    private static string? RefusedToken(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is SlackApiException api && WorkspaceAccess.RefusedTokenErrors.Contains(api.Error)) return api.Error;
            if (e is AggregateException all)
                return all.InnerExceptions.Select(RefusedToken).FirstOrDefault(x => x is not null);
        }
        return null;
    }
}
