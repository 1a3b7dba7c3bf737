namespace Bot.Slack.Dispatch;

/// <summary>Stored work this process holds and must come back to: a run a database failure interrupted (Work set)
/// or a done marker the database could not take (Work null). <see cref="SlackInboxReplayService"/> takes them when due.
/// Lost with the process, which is fine: the rows are still stored, and another process claims them once this one's
/// lease runs out.</summary>
public sealed class SlackInboxRetries
{
    internal sealed record Retry(long Id, AfterAckWork? Work, int Run, DateTimeOffset DueAt);

    private readonly List<Retry> _waiting = [];
    private readonly Lock _gate = new();

    public int Count
    {
        get { lock (_gate) return _waiting.Count; }
    }

    internal void Add(Retry retry)
    {
        lock (_gate) _waiting.Add(retry);
    }

    internal List<Retry> TakeDue(DateTimeOffset now)
    {
        lock (_gate)
        {
            var due = _waiting.Where(r => r.DueAt <= now).ToList();
            _waiting.RemoveAll(r => r.DueAt <= now);
            return due;
        }
    }
}
