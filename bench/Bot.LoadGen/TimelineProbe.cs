using System.Diagnostics;
using System.Globalization;
using Bot.Slack.Signing;
using Dapper;
using Npgsql;

namespace Bot.LoadGen;

/// <summary>--timeline-channel: how long the spawned bot takes to answer a slash command (signed, over HTTP, answered
/// in the ack) in an incident channel, e.g. the seeded incident with 10,000 entries (bench/seed-scale.sql):
/// /incident timeline (its first page) and /postmortem preview (the draft: DocumentBuilder builds the whole document
/// from the database, and its Slack summary is the answer).</summary>
internal static class TimelineProbe
{
    /// <summary>False when an answer was not the page or the draft summary.</summary>
    public static async Task<bool> Run(LoadOptions options, string channel, int runs) =>
        await Time(options, channel, runs, "/incident", "timeline", "entries") &
        await Time(options, channel, runs, "/postmortem", "preview", "document");

    private static async Task<bool> Time(LoadOptions options, string channel, int runs, string command, string text, string expect)
    {
        await using (var db = new NpgsqlConnection(options.Database))
        {
            var entries = await db.ExecuteScalarAsync<long?>(
                "select count(*) from timeline_entries e join incidents i on i.id = e.incident_id where i.channel_id = @channel", new { channel });
            Console.WriteLine($"{command} {text} in {channel}: {entries} timeline entries");
        }
        using var http = new HttpClient { BaseAddress = options.Url, Timeout = TimeSpan.FromSeconds(30) };
        var times = new List<double>();
        var allExpected = true;
        for (var i = 0; i < runs + 1; i++)
        {
            var form = await new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["team_id"] = options.TeamId, ["channel_id"] = channel, ["channel_name"] = "inc-scale", ["user_id"] = "U0BENCH01",
                ["user_name"] = "responder1", ["command"] = command, ["text"] = text, ["api_app_id"] = "A0BENCH",
                ["response_url"] = "http://127.0.0.1:9/unused", ["trigger_id"] = "1.2.bench",
            }).ReadAsByteArrayAsync();
            var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
            using var request = new HttpRequestMessage(HttpMethod.Post, "/slack/commands") { Content = new ByteArrayContent(form) };
            request.Content.Headers.ContentType = new("application/x-www-form-urlencoded");
            request.Headers.Add("X-Slack-Request-Timestamp", timestamp);
            request.Headers.Add("X-Slack-Signature", SlackSignatureVerifier.Sign(options.Secret, timestamp, form));
            var clock = Stopwatch.StartNew();
            using var response = await http.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            var ms = clock.Elapsed.TotalMilliseconds;
            // The first answer warms the process up (JIT, plans); it is shown, not counted.
            Console.WriteLine($"  {(i == 0 ? "warm-up" : $"run {i}")}: {ms:0.0} ms, HTTP {(int)response.StatusCode}, {Describe(body, expect)}");
            if (i > 0) times.Add(ms);
            allExpected &= response.IsSuccessStatusCode && body.Contains(expect, StringComparison.Ordinal);
        }
        times.Sort();
        Console.WriteLine($"{command} {text}: median {times[times.Count / 2]:0.0} ms, max {times[^1]:0.0} ms over {runs} runs");
        return allExpected;
    }

    private static string Describe(string body, string expect) =>
        body.Contains(expect, StringComparison.Ordinal)
            ? $"{body.Length:N0} bytes answered"
            : $"not the expected answer ({body.Length} bytes: {body[..Math.Min(160, body.Length)]})";
}
