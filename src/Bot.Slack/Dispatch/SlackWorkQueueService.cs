using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using System.Threading.Channels;

namespace Bot.Slack.Dispatch;

/// <summary>Runs queued Slack work: one consumer per lane, lanes concurrently. On graceful shutdown it stops
/// taking new work and finishes what is queued; when the host's shutdown timeout runs out it cancels handlers.</summary>
internal sealed class SlackWorkQueueService(SlackWorkQueue queue, ILogger<SlackWorkQueueService> log)
    : IHostedService
{
    private Task[] _workers = [];

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _workers = queue.Lanes.Select(lane => Task.Run(() => Consume(lane), CancellationToken.None)).ToArray();
        return Task.CompletedTask;
    }

    private async Task Consume(ChannelReader<SlackWorkQueue.WorkItem> reader)
    {
        while (await reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
        {
            while (reader.TryRead(out var item))
            {
                try
                {
                    await item.Run(queue.StoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    // Handlers' own failures are logged by the dispatcher; this is the last line so a worker never dies.
                    log.LogError(ex, "Slack background work failed: {Work}", item.Description);
                }
            }
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        queue.Complete();
        var pending = queue.Pending;
        if (pending > 0) log.LogInformation("Finishing {Count} queued Slack events before shutdown", pending);
        try
        {
            await Task.WhenAll(Task.WhenAll(_workers), queue.TrackedWork).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            log.LogWarning("Shutdown timeout reached with {Count} Slack events still queued; cancelling running handlers",
                queue.Pending);
            queue.CancelRunningWork();
        }
    }
}
