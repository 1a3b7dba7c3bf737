using Bot.Hosting;
using Bot.Slack.Events;
using Bot.Slack.Handlers;
using Bot.Timeline;

namespace Bot.Workspace;

/// <summary>A reinstall, seen at startup: auth.test took the token (BotHost or BotIdentityLoader set the identity),
/// so the team it names is installed and its parked jobs run.</summary>
public sealed class WorkspaceResumeAtStart(BotIdentity identity, WorkspaceAccess access, ILogger<WorkspaceResumeAtStart> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var me = await identity.Known.WaitAsync(stoppingToken);
        if (me.TeamId is not { Length: > 0 } team) return;
        try
        {
            await access.Resume(team, "auth.test accepted the token at startup", stoppingToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The next signed event from the team tries again (WorkspaceResumeOnEvent).
            logger.LogError(e, "Could not resume workspace {Team} at startup", team);
        }
    }
}

/// <summary>A reinstall, seen while running: a signed event from a team recorded as not installed means Slack
/// delivers to the app again; once auth.test takes the token for that team, it is installed and its parked jobs
/// run. auth.test is asked at most once a minute, however many events arrive meanwhile.</summary>
public sealed class WorkspaceResumeOnEvent(WorkspaceAccess access, SlackAuthProbe probe, TimeProvider time, ProbeThrottle throttle,
    ILogger<WorkspaceResumeOnEvent> logger) : IEventHandler<SlackEvent>
{
    /// <summary>Whether the event is one to act on: from the team recorded as not installed. Asked on the request
    /// path for every event, so it reads the cached state without waiting for the database.</summary>
    public static bool Wanted(WorkspaceAccess access, SlackEvent slackEvent, EventContext context) =>
        FromBlockedTeam(slackEvent, context, access.BlockedWithoutWaiting());

    private static bool FromBlockedTeam(SlackEvent slackEvent, EventContext context, WorkspaceState? blocked) =>
        slackEvent is not (AppUninstalledEvent or TokensRevokedEvent) && blocked is not null && context.TeamId == blocked.TeamId;

    public async Task Handle(SlackEvent slackEvent, EventContext context, CancellationToken ct)
    {
        // Asked again when it runs: the state may have changed since the ack, or this is a replay.
        if (access.Blocked() is not { } blocked || !FromBlockedTeam(slackEvent, context, blocked)) return;
        if (!throttle.TryStart(time.GetUtcNow())) return;
        switch (await probe.Probe(ct))
        {
            case SlackAuth.Accepted { Me.TeamId: var team } when team == blocked.TeamId:
                await access.Resume(team, $"an event arrived and auth.test accepted the token", ct);
                break;
            case var other:
                logger.LogInformation("An event from workspace {Team} arrived, but the bot token is still not usable ({Answer})",
                    blocked.TeamId, other is SlackAuth.Refused r ? r.Error : other.GetType().Name);
                break;
        }
    }
}

/// <summary>When WorkspaceResumeOnEvent last asked auth.test (per process).</summary>
public sealed class ProbeThrottle
{
    private static readonly TimeSpan Every = TimeSpan.FromMinutes(1);
    private long _lastTicks = long.MinValue;

    public bool TryStart(DateTimeOffset now)
    {
        var last = Interlocked.Read(ref _lastTicks);
        if (last != long.MinValue && now.UtcTicks - last < Every.Ticks) return false;
        return Interlocked.CompareExchange(ref _lastTicks, now.UtcTicks, last) == last;
    }
}
