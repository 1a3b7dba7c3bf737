using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace Bot.Slack.Dispatch;

/// <summary>Work that runs after Slack has been answered: bounded in-process queues drained by
/// <see cref="SlackWorkQueueService"/>. Work runs from memory for speed; what survives a crash is the row the
/// dispatcher wrote to the <see cref="ISlackInbox"/> before the ack, which a later process replays.
/// Work with the same partition key (a channel id) goes to the same lane and runs in arrival order, so a
/// message is handled before its edit; different channels run concurrently.</summary>
public sealed class SlackWorkQueue
{
    internal sealed record WorkItem(string Description, Func<CancellationToken, Task> Run);

    private readonly Channel<WorkItem>[] _lanes;
    private readonly ConcurrentDictionary<Task, byte> _tracked = new();
    private readonly CancellationTokenSource _hardStop = new();
    private int _roundRobin;

    public SlackWorkQueue(IOptions<SlackOptions> options)
    {
        var lanes = Math.Max(1, options.Value.WorkerCount);
        var perLane = Math.Max(1, options.Value.WorkQueueCapacity / lanes);
        _lanes = Enumerable.Range(0, lanes)
            .Select(_ => Channel.CreateBounded<WorkItem>(new BoundedChannelOptions(perLane)
            {
                FullMode = BoundedChannelFullMode.Wait,
                SingleReader = true,
                SingleWriter = false,
            }))
            .ToArray();
    }

    /// <summary>Cancelled when the host's shutdown grace period runs out; handlers receive it.</summary>
    public CancellationToken StoppingToken => _hardStop.Token;

    /// <summary>Items waiting for a worker.</summary>
    public int Pending => _lanes.Sum(l => l.Reader.Count);

    /// <summary>False when the lane is full or the queue is shutting down; the caller then lets Slack deliver
    /// again. partitionKey null: any lane.</summary>
    public bool TryEnqueue(string? partitionKey, string description, Func<CancellationToken, Task> work)
    {
        var lane = partitionKey is null
            ? (int)((uint)Interlocked.Increment(ref _roundRobin) % (uint)_lanes.Length)
            : LaneOf(partitionKey);
        return _lanes[lane].Writer.TryWrite(new WorkItem(description, work));
    }

    internal int LaneOf(string partitionKey) =>
        (int)((uint)StringComparer.Ordinal.GetHashCode(partitionKey) % (uint)_lanes.Length);

    /// <summary>Work already running outside the queue (a slash command past its ack deadline) that shutdown
    /// should wait for too.</summary>
    public void Track(Task task)
    {
        _tracked[task] = 0;
        task.ContinueWith(t => _tracked.TryRemove(t, out _), CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    internal IReadOnlyList<ChannelReader<WorkItem>> Lanes => _lanes.Select(l => l.Reader).ToArray();

    internal void Complete()
    {
        foreach (var lane in _lanes) lane.Writer.TryComplete();
    }

    internal Task TrackedWork => Task.WhenAll(_tracked.Keys);

    internal void CancelRunningWork() => _hardStop.Cancel();
}
