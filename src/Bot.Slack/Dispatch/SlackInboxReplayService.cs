using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bot.Slack.Dispatch;

/// <summary>Every SlackOptions.InboxPollInterval: renews this process's lease on its stored work, takes over the
/// rows of processes whose lease ran out (a crash, a kill -9) and replays them through the dispatcher, and comes
/// back to its own retries. Registered before the work queue's service, so on shutdown it stops after the queue
/// drained and then hands what is left to the other processes. Database failures are logged and tried again.</summary>
internal sealed class SlackInboxReplayService(
    ISlackInbox inbox,
    SlackDispatcher dispatcher,
    SlackInboxRetries retries,
    IOptions<SlackOptions> options,
    ILogger<SlackInboxReplayService> log) : BackgroundService
{
    private const int BatchSize = 100;
    private static readonly TimeProvider Clock = TimeProvider.System;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // Take the lease before the first request can be stored, so no replica takes this process for dead.
        await Poll(cancellationToken).ConfigureAwait(false);
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.InboxPollInterval, Clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
                await Poll(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private bool _failing;

    private async Task Poll(CancellationToken ct)
    {
        try
        {
            foreach (var retry in retries.TakeDue(Clock.GetUtcNow()))
                await dispatcher.RunRetry(retry).ConfigureAwait(false);
            IReadOnlyList<SlackInboxRow> rows;
            do
            {
                rows = await inbox.ClaimAbandoned(BatchSize, ct).ConfigureAwait(false);
                foreach (var row in rows.OrderBy(r => r.Id))
                    await dispatcher.Replay(row).ConfigureAwait(false);
            } while (rows.Count == BatchSize && !ct.IsCancellationRequested);
            if (_failing) log.LogInformation("Slack inbox reachable again");
            _failing = false;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            // One warning per outage, not one per poll.
            if (!_failing) log.LogWarning("Slack inbox poll failed ({Reason}); trying again every {Interval}", ex.Message, options.Value.InboxPollInterval);
            _failing = true;
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await inbox.Leave(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            log.LogWarning("Handing the Slack inbox over at shutdown failed ({Reason}); other processes take it when the lease runs out", ex.Message);
        }
    }
}
