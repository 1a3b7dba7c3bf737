using System.Diagnostics.Metrics;

namespace Bot.Slack.Diagnostics;

/// <summary>The Slack layer's instruments, on the app's one meter "Bot" (the app's BotMetrics adds the rest to the same
/// meter: IMeterFactory hands both the same instance). Made from the container's IMeterFactory, so two apps in one
/// process (the tests) each have their own. Nothing is measured unless a listener (OpenTelemetry) is attached.</summary>
public sealed class SlackMetrics
{
    public const string MeterName = "Bot";

    // Acks take about a millisecond; Slack gives up after 3 s.
    private static readonly double[] AckBucketsMs = [0.5, 1, 2, 5, 10, 20, 50, 100, 250, 500, 1000, 3000];

    private readonly Counter<long> _received;
    private readonly Counter<long> _stored;
    private readonly Counter<long> _refused;
    private readonly Histogram<double> _ack;
    private readonly Counter<long> _calls;
    private readonly Counter<long> _rateLimited;
    private readonly Counter<double> _rateLimitWait;

    public SlackMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _received = meter.CreateCounter<long>("bot.slack.events.received", "{event}",
            "Slack requests and envelopes received, by type (an event type, slash_command, or an interaction type).");
        _stored = meter.CreateCounter<long>("bot.slack.events.stored", "{event}",
            "Events acknowledged to Slack: their before-ack handlers (capture) recorded them, and the after-ack work is queued.");
        _refused = meter.CreateCounter<long>("bot.slack.events.refused", "{event}",
            "Requests not acknowledged or rejected, by reason (signature, too_large, malformed, busy, not_recorded).");
        _ack = meter.CreateHistogram("bot.slack.ack.duration", "ms",
            "Time from receiving a Slack request or envelope to answering it, by transport.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = AckBucketsMs });
        _calls = meter.CreateCounter<long>("bot.slack.api.calls", "{call}",
            "Slack Web API calls by method and outcome (ok, or the error: a Slack error code, network_error, timeout, http_NNN, ratelimited).");
        _rateLimited = meter.CreateCounter<long>("bot.slack.api.rate_limited", "{response}", "HTTP 429 answers from Slack, by method.");
        _rateLimitWait = meter.CreateCounter<double>("bot.slack.api.rate_limit_wait", "s",
            "Time calls waited because of rate limits, by method and cause (retry_after: Slack's 429; pacing: the client's own limiter).");
    }

    public void Received(string type) => _received.Add(1, new KeyValuePair<string, object?>("type", type));

    public void Stored() => _stored.Add(1);

    public void Refused(string reason) => _refused.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void Acked(string transport, TimeSpan elapsed) =>
        _ack.Record(elapsed.TotalMilliseconds, new KeyValuePair<string, object?>("transport", transport));

    public void ApiCall(string method, string outcome) =>
        _calls.Add(1, new KeyValuePair<string, object?>("method", method), new KeyValuePair<string, object?>("outcome", outcome));

    public void RateLimited(string method, TimeSpan wait)
    {
        _rateLimited.Add(1, new KeyValuePair<string, object?>("method", method));
        Waited(method, "retry_after", wait);
    }

    public void Paced(string method, TimeSpan wait)
    {
        if (wait >= TimeSpan.FromMilliseconds(1)) Waited(method, "pacing", wait);
    }

    private void Waited(string method, string cause, TimeSpan wait) =>
        _rateLimitWait.Add(wait.TotalSeconds, new KeyValuePair<string, object?>("method", method), new KeyValuePair<string, object?>("cause", cause));
}
