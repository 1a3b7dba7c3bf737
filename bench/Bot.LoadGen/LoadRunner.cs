using System.Diagnostics;
using System.Net.Http.Headers;
using Bot.Slack.Signing;

namespace Bot.LoadGen;

/// <summary>Two ways to send: open loop (request i leaves at start + i/rate whatever the earlier ones are doing, so a
/// slow target shows up as latency, not as a lower offered rate) and closed loop (a fixed number of requests in
/// flight, each sent as soon as the previous one is answered: the throughput a target holds). Latency is send →
/// response headers.</summary>
internal sealed class LoadRunner(HttpClient http, LoadOptions options)
{
    /// <summary>UniqueEvents: how many of the events (from the first) had their first delivery sent.</summary>
    public sealed record Result(
        int Deliveries, int UniqueEvents, int Acked, int Failed,
        double[] LatenciesMs, TimeSpan Elapsed, double MaxBehindMs, IReadOnlyList<string> Errors);

    // Which deliveries are retries: every k-th event is sent twice, the copy right after the original.
    private List<(SlackEvents.Prepared Event, int? Retry)> Plan(IReadOnlyList<SlackEvents.Prepared> events)
    {
        var every = options.Duplicates > 0 ? Math.Max(1, (int)Math.Round(1 / options.Duplicates)) : int.MaxValue;
        var plan = new List<(SlackEvents.Prepared Event, int? Retry)>(events.Count * 21 / 20 + 1);
        for (var i = 0; i < events.Count; i++)
        {
            plan.Add((events[i], null));
            if ((i + 1) % every == 0)
                plan.Add((events[i], 1));
        }
        return plan;
    }

    public async Task<Result> Run(IReadOnlyList<SlackEvents.Prepared> events, bool measure)
    {
        var plan = Plan(events);
        var tally = new Tally(plan.Count);
        var tasks = new Task[plan.Count];
        var rate = options.Rate * (double)plan.Count / events.Count; // deliveries per second, retries included
        var clock = Stopwatch.StartNew();
        double maxBehind = 0;
        var next = 0;
        while (next < plan.Count)
        {
            var due = Math.Min(plan.Count, (int)(clock.Elapsed.TotalSeconds * rate) + 1);
            for (; next < due; next++)
            {
                var scheduled = next / rate * 1000;
                maxBehind = Math.Max(maxBehind, clock.Elapsed.TotalMilliseconds - scheduled);
                var index = next;
                tasks[index] = Send(plan[index].Event, plan[index].Retry, index, tally);
            }
            await Task.Delay(1);
        }
        await Task.WhenAll(tasks);
        clock.Stop();
        return new Result(plan.Count, events.Count, tally.Ok, tally.Failed, measure ? tally.Latencies : [], clock.Elapsed, maxBehind, tally.Errors);
    }

    /// <summary>inFlight senders, each sending the next delivery of the plan as soon as its previous one was
    /// answered, until the plan is used up or the time is over.</summary>
    public async Task<Result> RunClosed(IReadOnlyList<SlackEvents.Prepared> events, int inFlight, TimeSpan duration)
    {
        var plan = Plan(events);
        var tally = new Tally(plan.Count);
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, inFlight).Select(_ => Task.Run(async () =>
        {
            while (clock.Elapsed < duration)
            {
                var index = Interlocked.Increment(ref next);
                if (index >= plan.Count) return;
                await Send(plan[index].Event, plan[index].Retry, index, tally);
            }
        })));
        clock.Stop();
        // Every index taken below the plan's length was sent (the time is checked before taking one): a prefix.
        var sent = Math.Min(plan.Count, next + 1);
        return new Result(sent, plan.Take(sent).Count(p => p.Retry is null), tally.Ok, tally.Failed,
            tally.Latencies[..sent], clock.Elapsed, 0, tally.Errors);
    }

    private async Task Send(SlackEvents.Prepared e, int? retry, int index, Tally tally)
    {
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/slack/events") { Content = new ByteArrayContent(e.Body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-Slack-Request-Timestamp", timestamp.ToString());
        request.Headers.Add("X-Slack-Signature", SlackSignatureVerifier.Sign(options.Secret, timestamp.ToString(), e.Body));
        if (retry is { } n)
        {
            request.Headers.Add("X-Slack-Retry-Num", n.ToString());
            request.Headers.Add("X-Slack-Retry-Reason", "http_timeout");
        }
        var start = Stopwatch.GetTimestamp();
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            tally.Latencies[index] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            if (response.IsSuccessStatusCode)
                Interlocked.Increment(ref tally.Ok);
            else
                tally.Fail($"HTTP {(int)response.StatusCode}");
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            tally.Latencies[index] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            tally.Fail(ex.Message);
        }
    }

    private sealed class Tally(int count)
    {
        public readonly double[] Latencies = new double[count];
        public int Ok;
        public int Failed;
        public readonly List<string> Errors = [];

        public void Fail(string message)
        {
            Interlocked.Increment(ref Failed);
            lock (Errors)
                if (Errors.Count < 5) Errors.Add(message);
        }
    }
}
