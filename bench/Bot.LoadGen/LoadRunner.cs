using System.Diagnostics;
using System.Net.Http.Headers;
using Bot.Slack.Signing;

namespace Bot.LoadGen;

/// <summary>Open-loop sender: request i leaves at start + i/rate whatever the earlier ones are doing, so a
/// slow bot shows up as latency, not as a lower offered rate. Latency is send → response headers.</summary>
internal sealed class LoadRunner(HttpClient http, LoadOptions options)
{
    public sealed record Result(
        int Deliveries, int UniqueEvents, int Acked, int Failed,
        double[] LatenciesMs, TimeSpan Elapsed, double MaxBehindMs, IReadOnlyList<string> Errors);

    public async Task<Result> Run(IReadOnlyList<SlackEvents.Prepared> events, bool measure)
    {
        // Which deliveries are retries: every k-th event is sent twice, the copy right after the original.
        var every = options.Duplicates > 0 ? Math.Max(1, (int)Math.Round(1 / options.Duplicates)) : int.MaxValue;
        var plan = new List<(SlackEvents.Prepared Event, int? Retry)>();
        for (var i = 0; i < events.Count; i++)
        {
            plan.Add((events[i], null));
            if ((i + 1) % every == 0)
                plan.Add((events[i], 1));
        }

        var latencies = new double[plan.Count];
        var ok = 0;
        var failed = 0;
        var errors = new List<string>();
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
                tasks[index] = Send(plan[index].Event, plan[index].Retry, index);
            }
            await Task.Delay(1);
        }
        await Task.WhenAll(tasks);
        clock.Stop();
        return new Result(plan.Count, events.Count, ok, failed, measure ? latencies : [], clock.Elapsed, maxBehind, errors);

        async Task Send(SlackEvents.Prepared e, int? retry, int index)
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
                latencies[index] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                if (response.IsSuccessStatusCode)
                    Interlocked.Increment(ref ok);
                else
                    Fail($"HTTP {(int)response.StatusCode}");
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                latencies[index] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                Fail(ex.Message);
            }
        }

        void Fail(string message)
        {
            Interlocked.Increment(ref failed);
            lock (errors)
                if (errors.Count < 5) errors.Add(message);
        }
    }
}
