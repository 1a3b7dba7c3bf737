namespace Bot.Slack.Testing;

// A switchable outage: while it lasts, every Web API call (or those of some methods) fails the same way.
public sealed partial class FakeSlack
{
    private sealed class Outage(Failure failure, Func<string, SlackArgs, bool> matches, int? calls, DateTimeOffset? until)
    {
        public Failure Failure { get; } = failure;
        public Func<string, SlackArgs, bool> Matches { get; } = matches;
        public int? CallsLeft { get; set; } = calls;
        public DateTimeOffset? Until { get; } = until;
    }

    private Outage? _outage;
    private int _outageFaults;

    /// <summary>From now on, calls fail as <paramref name="failure"/> says (<see cref="Failure.ServerError"/>,
    /// <see cref="Failure.Delay"/> past the client's timeout, <see cref="Failure.RateLimited"/>,
    /// <see cref="Failure.AppliedThen"/>), for the next <paramref name="calls"/> calls and/or for
    /// <paramref name="duration"/> (wall-clock, or the fake's TimeProvider when it has one), whichever ends first;
    /// neither: until <see cref="EndOutage"/>. Only <paramref name="methods"/> when given. Replaces a running outage.
    /// Checked after auth, like <see cref="FailNext(string, int, Failure)"/>, and before it.</summary>
    public void StartOutage(Failure failure, int? calls = null, TimeSpan? duration = null, params string[] methods)
    {
        var only = new HashSet<string>(methods, StringComparer.Ordinal);
        StartOutage(failure, (method, _) => only.Count == 0 || only.Contains(method), calls, duration);
    }

    /// <summary>An outage of the calls <paramref name="matches"/> picks (method, arguments): say, posts into one channel.</summary>
    public void StartOutage(Failure failure, Func<string, SlackArgs, bool> matches, int? calls = null, TimeSpan? duration = null)
    {
        if (calls is <= 0) throw new ArgumentOutOfRangeException(nameof(calls));
        lock (_gate) _outage = new Outage(failure, matches, calls, duration is { } d ? _time.GetUtcNow() + d : null);
    }

    public void EndOutage()
    {
        lock (_gate) _outage = null;
    }

    /// <summary>True while an outage is on (its calls are not used up, its time not over).</summary>
    public bool InOutage
    {
        get
        {
            lock (_gate) return Current() is not null;
        }
    }

    /// <summary>How many calls outages have failed so far (over all outages of this fake).</summary>
    public int OutageFaults
    {
        get
        {
            lock (_gate) return _outageFaults;
        }
    }

    private Outage? Current()
    {
        if (_outage is not { } o) return null;
        if (o.CallsLeft is <= 0 || (o.Until is { } until && _time.GetUtcNow() >= until))
        {
            _outage = null;
            return null;
        }
        return o;
    }

    private Failure? TakeOutageFailure(string method, SlackArgs args)
    {
        lock (_gate)
        {
            if (Current() is not { } o || !o.Matches(method, args)) return null;
            if (o.CallsLeft is { } left) o.CallsLeft = left - 1;
            _outageFaults++;
            return o.Failure;
        }
    }
}
