using Bot.Slack.Handlers;

namespace Bot.Slack.Dispatch;

public enum SlackInboxKind { Event = 1, Interaction = 2 }

/// <summary>Work Slack was promised by an ack, as Slack sent it: Body is the JSON (the event_callback envelope, or
/// the interaction payload) that the dispatcher parses again when it replays the row after a crash.</summary>
public sealed record SlackInboxItem(SlackInboxKind Kind, SlackTransport Transport, string? Partition, string Body);

/// <summary>A stored item another process took but did not finish. Attempts counts the runs begun, this one included.</summary>
public sealed record SlackInboxRow(long Id, SlackInboxItem Item, int Attempts);

/// <summary>Where after-ack work is written before Slack gets its ack, so that a crash after the ack loses nothing.
/// The app gives a durable one (PostgreSQL); the library's default keeps nothing across a restart.
/// Every row belongs to the process that stored or claimed it; a row whose owner stopped renewing its lease is
/// taken over (<see cref="ClaimAbandoned"/>) and run once more by whichever process claims it first.</summary>
public interface ISlackInbox
{
    /// <summary>Stores the item before the ack. Null when it could not be stored (the database is down, or this
    /// process could not renew its lease lately): the caller then withholds the ack.</summary>
    Task<long?> Store(SlackInboxItem item, CancellationToken ct);

    /// <summary>The work ran; the row must never run again.</summary>
    Task Done(long id, CancellationToken ct);

    /// <summary>Before running a row again that this process holds (a retry after the database failed under a
    /// handler): true when the row is still this process's and not done.</summary>
    Task<bool> Reclaim(long id, CancellationToken ct);

    /// <summary>Renews this process's lease and takes over up to <paramref name="max"/> rows of processes whose
    /// lease ran out, oldest first.</summary>
    Task<IReadOnlyList<SlackInboxRow>> ClaimAbandoned(int max, CancellationToken ct);

    /// <summary>Graceful shutdown, after the queue drained: what this process still holds goes to the others at once.</summary>
    Task Leave(CancellationToken ct);
}

/// <summary>The default: ids only. Work queued in memory is lost with the process, as without an inbox.</summary>
internal sealed class InMemorySlackInbox : ISlackInbox
{
    private long _ids;

    public Task<long?> Store(SlackInboxItem item, CancellationToken ct) => Task.FromResult<long?>(Interlocked.Increment(ref _ids));
    public Task Done(long id, CancellationToken ct) => Task.CompletedTask;
    public Task<bool> Reclaim(long id, CancellationToken ct) => Task.FromResult(true);
    public Task<IReadOnlyList<SlackInboxRow>> ClaimAbandoned(int max, CancellationToken ct) => Task.FromResult<IReadOnlyList<SlackInboxRow>>([]);
    public Task Leave(CancellationToken ct) => Task.CompletedTask;
}
