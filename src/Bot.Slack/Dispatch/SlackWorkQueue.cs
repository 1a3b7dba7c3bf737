using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace Bot.Slack.Dispatch;

/// <summary>Work that runs after Slack has been answered: a bounded in-process queue drained by
/// <see cref="SlackWorkQueueService"/>. Keeps acks at about a millisecond; what must survive a crash belongs
/// in the app's own durable jobs, which handlers enqueue.</summary>
public sealed class SlackWorkQueue
{
    internal sealed record WorkItem(string Description, Func<CancellationToken, Task> Run);

    private readonly Channel<WorkItem> _channel;
    private readonly ConcurrentDictionary<Task, byte> _tracked = new();
    private readonly CancellationTokenSource _hardStop = new();

    public SlackWorkQueue(IOptions<SlackOptions> options)
    {
        _channel = Channel.CreateBounded<WorkItem>(new BoundedChannelOptions(Math.Max(1, options.Value.WorkQueueCapacity))
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = false,
            SingleWriter = false,
        });
    }

    /// <summary>Cancelled when the host's shutdown grace period runs out; handlers receive it.</summary>
    public CancellationToken StoppingToken => _hardStop.Token;

    /// <summary>Items waiting for a worker.</summary>
    public int Pending => _channel.Reader.Count;

    /// <summary>False when the queue is full or shutting down; the caller then lets Slack deliver again.</summary>
    public bool TryEnqueue(string description, Func<CancellationToken, Task> work) =>
        _channel.Writer.TryWrite(new WorkItem(description, work));

    /// <summary>Work already running outside the queue (a slash command past its ack deadline) that shutdown
    /// should wait for too.</summary>
    public void Track(Task task)
    {
        _tracked[task] = 0;
        task.ContinueWith(t => _tracked.TryRemove(t, out _), CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    internal ChannelReader<WorkItem> Reader => _channel.Reader;

    internal void Complete() => _channel.Writer.TryComplete();

    internal Task TrackedWork => Task.WhenAll(_tracked.Keys);

    internal void CancelRunningWork() => _hardStop.Cancel();
}
