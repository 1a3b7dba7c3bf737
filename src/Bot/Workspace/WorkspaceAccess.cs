using Bot.Timeline;
using Hangfire;
using Hangfire.States;

namespace Bot.Workspace;

/// <summary>Whether this deployment may talk to its workspace now, and the two ways that changes: Slack says it may
/// not (an event, or an API answer refusing the token), or auth.test takes the token again (Resume). One deployment
/// runs one bot token, so "the workspace" is the team auth.test named; before the bot knows it, any workspace recorded
/// as not installed counts.</summary>
public sealed class WorkspaceAccess(WorkspaceStore store, BotIdentity identity, IServiceProvider services, TimeProvider time,
    ILogger<WorkspaceAccess> logger)
{
    /// <summary>Slack's answers for a token it no longer takes because the app was removed or the token revoked.</summary>
    public static readonly IReadOnlySet<string> RefusedTokenErrors = new HashSet<string>(StringComparer.Ordinal)
    {
        "token_revoked", "account_inactive", "invalid_auth",
    };

    // Every job start asks; the answer is kept briefly. Changes made by this instance clear it at once, another
    // instance's are seen within this time.
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(2);
    private readonly Lock _gate = new();
    private (WorkspaceState? State, DateTimeOffset Until) _cached;
    private int _refreshing; // 1 while BlockedWithoutWaiting's refresh runs

    /// <summary>The team auth.test named for the bot token, when known.</summary>
    public string? TeamId => identity.Current?.TeamId;

    /// <summary>The state that stops jobs, or null when the workspace is installed. Synchronous: Hangfire's filters are.</summary>
    public WorkspaceState? Blocked()
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (now < _cached.Until) return _cached.State;
        }
        return Refresh(CancellationToken.None).GetAwaiter().GetResult();
    }

    /// <summary>The same answer for the request path, where every Slack event asks: never a database call on the
    /// caller's thread (a burst of requests blocking on one would starve the thread pool). When the cached answer is
    /// stale it is returned all the same and one refresh runs beside; changes made here refresh it at once.</summary>
    public WorkspaceState? BlockedWithoutWaiting()
    {
        (WorkspaceState? State, DateTimeOffset Until) cached;
        lock (_gate) cached = _cached;
        if (time.GetUtcNow() >= cached.Until && Interlocked.CompareExchange(ref _refreshing, 1, 0) == 0)
            _ = Task.Run(async () =>
            {
                try
                {
                    await Refresh(CancellationToken.None);
                }
                catch (Exception e)
                {
                    logger.LogDebug("Reading the workspace state failed ({Reason}); the next event tries again", e.Message);
                }
                finally
                {
                    Volatile.Write(ref _refreshing, 0);
                }
            });
        return cached.State;
    }

    private async Task<WorkspaceState?> Load(CancellationToken ct) => TeamId is { } team
        ? await store.Find(team, ct) is { IsInstalled: false } s ? s : null
        : (await store.NotInstalled(ct)).FirstOrDefault();

    private async Task<WorkspaceState?> Refresh(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var state = await Load(ct);
        lock (_gate) _cached = (state, now + CacheFor);
        return state;
    }

    /// <summary>After a change made here: the new state, read at once, so the next event sees it.</summary>
    private async Task Changed(CancellationToken ct)
    {
        Forget();
        try
        {
            await Refresh(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogDebug("Reading the workspace state after a change failed ({Reason}); read again when asked", e.Message);
        }
    }

    /// <summary>Slack said the bot may no longer talk to <paramref name="teamId"/>. Nothing is deleted.</summary>
    public async Task Refused(string teamId, string state, DateTimeOffset since, string reason, CancellationToken ct)
    {
        var changed = await store.Set(teamId, state, since, reason, ct);
        await Changed(ct);
        if (changed)
            logger.LogWarning("Workspace {Team} is {State} ({Reason}): its jobs are parked until the app is reinstalled; its data is kept",
                teamId, state, reason);
    }

    /// <summary>auth.test took the token for <paramref name="teamId"/>: installed again, and every parked job is
    /// enqueued once (the change from Parked succeeds for one caller only). Returns how many were requeued.</summary>
    public async Task<int> Resume(string teamId, string reason, CancellationToken ct)
    {
        // No row: never uninstalled, nothing to record.
        var changed = await store.Find(teamId, ct) is { IsInstalled: false }
                      && await store.Set(teamId, WorkspaceState.Installed, time.GetUtcNow(), reason, ct);
        await Changed(ct);
        // Resolved here, not injected: the job client depends on the filters, and WorkspaceJobGate on this class.
        var jobs = services.GetRequiredService<IBackgroundJobClient>();
        var requeued = 0;
        foreach (var jobId in await store.ParkedJobs(teamId, ct))
        {
            if (jobs.ChangeState(jobId, new EnqueuedState { Reason = $"Workspace {teamId} installed again" }, ParkedState.StateName))
                requeued++;
            await store.Unparked(jobId, ct);
        }
        if (changed || requeued > 0)
            logger.LogInformation("Workspace {Team} is installed again ({Reason}): {Count} parked jobs requeued", teamId, reason, requeued);
        return requeued;
    }

    private void Forget()
    {
        lock (_gate) _cached = default;
    }
}
