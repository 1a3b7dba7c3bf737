namespace Bot.Slack.Testing;

/// <summary>Opt-in rate limits like Slack's (FakeSlackOptions.PerMinuteLimits, PostsPerChannelPerSecond): a call over
/// the limit in a sliding window answers 429 with Retry-After, as Slack does. Off unless set.</summary>
public sealed partial class FakeSlack
{
    private readonly Dictionary<string, Queue<DateTimeOffset>> _windows = new(StringComparer.Ordinal);

    /// <summary>True: the limits are not applied (nor counted), e.g. while a test seeds state through the API.</summary>
    public bool RateLimitsPaused { get; set; }

    /// <summary>Seconds to wait when this call is over a limit; null when it may go.</summary>
    private int? OverLimit(string method, SlackArgs args)
    {
        if (RateLimitsPaused) return null;
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            if (_options.PerMinuteLimits?.TryGetValue(method, out var perMinute) == true
                && Over("m:" + method, perMinute, TimeSpan.FromMinutes(1), now) is { } wait)
                return wait;
            if (method == "chat.postMessage" && _options.PostsPerChannelPerSecond is { } perSecond && args.Str("channel") is { } channel
                && Over("c:" + channel, perSecond, TimeSpan.FromSeconds(1), now) is { } channelWait)
                return channelWait;
            // Counted only once the call passed every limit.
            if (_options.PerMinuteLimits?.ContainsKey(method) == true) _windows["m:" + method].Enqueue(now);
            if (method == "chat.postMessage" && _options.PostsPerChannelPerSecond is not null && args.Str("channel") is { } c) _windows["c:" + c].Enqueue(now);
        }
        return null;
    }

    private int? Over(string key, int limit, TimeSpan window, DateTimeOffset now)
    {
        if (!_windows.TryGetValue(key, out var calls)) _windows[key] = calls = new Queue<DateTimeOffset>();
        while (calls.Count > 0 && calls.Peek() <= now - window) calls.Dequeue();
        if (calls.Count < limit) return null;
        return Math.Max(1, (int)Math.Ceiling((calls.Peek() + window - now).TotalSeconds));
    }

    /// <summary>How many calls the limits refused with 429.</summary>
    public int RateLimitedCalls
    {
        get
        {
            lock (_gate) return _calls.Count(c => c.HttpStatus == 429);
        }
    }
}
