namespace Bot.Slack.WebApi.RateLimiting;

/// <summary>A token bucket: Capacity tokens at most (the burst), refilled at TokensPerSecond.
/// Callers reserve a token and wait until it is theirs, so concurrent callers queue in order
/// instead of all waking at once and stampeding. Time comes from TimeProvider, so tests advance it.</summary>
public sealed class TokenBucket
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private double _tokens;
    private long _stamp;
    private DateTimeOffset _heldUntil = DateTimeOffset.MinValue;

    public TokenBucket(double capacity, double tokensPerSecond, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(tokensPerSecond);
        Capacity = capacity;
        TokensPerSecond = tokensPerSecond;
        _time = time;
        _tokens = capacity;
        _stamp = time.GetTimestamp();
    }

    public double Capacity { get; }
    public double TokensPerSecond { get; }

    /// <summary>Takes one token and says how long to wait before it may be used (zero: now).
    /// The token may be borrowed from the future; later callers then wait behind this one.</summary>
    public TimeSpan Reserve()
    {
        lock (_gate)
        {
            Refill();
            _tokens -= 1;
            var wait = _tokens >= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(-_tokens / TokensPerSecond);
            var held = _heldUntil - _time.GetUtcNow();
            return held > wait ? held : wait;
        }
    }

    /// <summary>Makes every reservation wait at least until now + duration (Slack answered 429 with Retry-After:
    /// the other callers of the method should not walk into the same wall).</summary>
    public void Hold(TimeSpan duration)
    {
        lock (_gate)
        {
            var until = _time.GetUtcNow() + duration;
            if (until > _heldUntil) _heldUntil = until;
        }
    }

    /// <summary>Gives back a reservation that will not be used (its caller was cancelled).</summary>
    public void Refund()
    {
        lock (_gate)
        {
            Refill();
            _tokens = Math.Min(Capacity, _tokens + 1);
        }
    }

    /// <summary>True when the bucket is full, i.e. nobody used it lately; such a bucket can be dropped.</summary>
    public bool IsIdle
    {
        get
        {
            lock (_gate)
            {
                Refill();
                return _tokens >= Capacity;
            }
        }
    }

    /// <summary>Waits for one token.</summary>
    public async ValueTask Take(CancellationToken ct)
    {
        var wait = Reserve();
        if (wait <= TimeSpan.Zero) return;
        try
        {
            await Task.Delay(wait, _time, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Refund();
            throw;
        }
    }

    private void Refill()
    {
        var now = _time.GetTimestamp();
        var elapsed = _time.GetElapsedTime(_stamp, now);
        _stamp = now;
        if (elapsed > TimeSpan.Zero)
            _tokens = Math.Min(Capacity, _tokens + elapsed.TotalSeconds * TokensPerSecond);
    }
}
