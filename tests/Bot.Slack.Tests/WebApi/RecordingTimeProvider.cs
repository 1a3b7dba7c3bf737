using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;

namespace Bot.Slack.Tests.WebApi;

/// <summary>A FakeTimeProvider that also records the due time of every timer created, so a test can see that the
/// client is waiting (and for how long) before it moves time forward.</summary>
public sealed class RecordingTimeProvider : FakeTimeProvider
{
    private readonly ConcurrentQueue<TimeSpan> _timers = new();

    public IReadOnlyList<TimeSpan> Timers => _timers.ToList();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        _timers.Enqueue(dueTime);
        return base.CreateTimer(callback, state, dueTime, period);
    }
}
