using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Bot.Slack.WebApi.RateLimiting;

/// <summary>Paces calls so that steady use draws no 429: one bucket per method at its tier's rate
/// (Slack counts limits per method, per workspace), and for chat.postMessage one more bucket per channel
/// at about one message a second. Shared by every client in the process (a singleton).</summary>
public sealed class SlackRateLimiter
{
    private const int PruneAbove = 1000;
    private readonly TimeProvider _time;
    private readonly SlackWebApiOptions _options;
    private readonly ConcurrentDictionary<string, TokenBucket> _methods = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TokenBucket> _channels = new(StringComparer.Ordinal);

    public SlackRateLimiter(TimeProvider time, IOptions<SlackWebApiOptions> options)
    {
        _time = time;
        _options = options.Value;
    }

    /// <summary>Waits until the call may be made. channel is only used for chat.postMessage.</summary>
    public async ValueTask Wait(string method, string? channel, CancellationToken ct)
    {
        if (!_options.RateLimit) return;
        await MethodBucket(method).Take(ct).ConfigureAwait(false);
        if (method == "chat.postMessage" && !string.IsNullOrEmpty(channel))
            await ChannelBucket(channel).Take(ct).ConfigureAwait(false);
    }

    /// <summary>Slack said 429 with Retry-After: hold back the method (and the channel, for chat.postMessage)
    /// for that long, so calls already queued do not draw more 429s. The 429'd call waits on its own.</summary>
    public void Hold(string method, string? channel, TimeSpan retryAfter)
    {
        if (!_options.RateLimit || retryAfter <= TimeSpan.Zero) return;
        MethodBucket(method).Hold(retryAfter);
        if (method == "chat.postMessage" && !string.IsNullOrEmpty(channel)) ChannelBucket(channel).Hold(retryAfter);
    }

    internal TokenBucket MethodBucket(string method) => _methods.GetOrAdd(method, m =>
    {
        var tier = RateLimitTiers.For(m);
        return new TokenBucket(tier.Burst, tier.PerSecond, _time);
    });

    internal TokenBucket ChannelBucket(string channel)
    {
        // Channels come and go (one per DM, one per incident...): forget the quiet ones now and then.
        if (_channels.Count > PruneAbove)
            foreach (var (key, bucket) in _channels)
                if (bucket.IsIdle) _channels.TryRemove(key, out _);
        return _channels.GetOrAdd(channel, _ => new TokenBucket(
            Math.Max(1, _options.PostMessagePerChannelBurst), _options.PostMessagePerChannelPerSecond, _time));
    }
}
