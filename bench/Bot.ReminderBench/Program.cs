using System.Diagnostics;
using System.Globalization;
using Bot.Hosting;
using Bot.Postmortems.Reminders;
using Bot.Slack.Testing;
using Dapper;
using Hangfire;
using Npgsql;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

// Usage: dotnet run -c Release --project bench/Bot.ReminderBench -- [--db <connection string>] [--count 200]
//        [--window 60] [--lead 20] [--workers 10] [--poll 00:00:01]
// Without --db (or BOT_BENCH_POSTGRES) the bot's embedded local PostgreSQL is used.
if (Args.Parse(args) is not { } options)
{
    Console.Error.WriteLine("usage: Bot.ReminderBench [--db <connection string>] [--count N>0] [--window s] [--lead s] [--workers N>0] [--poll hh:mm:ss]");
    return 2;
}
var connectionString = options.Db ?? Environment.GetEnvironmentVariable("BOT_BENCH_POSTGRES");

await using var slack = await FakeSlack.StartAsync(new FakeSlackOptions());
var zones = new[] { "Europe/Berlin", "America/New_York", "Asia/Tokyo", "Etc/UTC" };
var users = Enumerable.Range(0, options.Count).Select(i => $"UB{i:D5}").ToArray();
for (var i = 0; i < users.Length; i++) slack.AddUser(users[i], $"user{i}", tz: zones[i % zones.Length]);
var channel = slack.AddChannel("inc-bench", members: users);

var app = await Bot.Bench.BenchBot.Start(slack, connectionString, "reminder", options.Workers, options.Poll);
if (app is null) return 3;
var db = app.Services.GetRequiredService<Bot.Database.Db>();
var jobs = app.Services.GetRequiredService<IBackgroundJobClient>();

// The state a day before the meetings: N resolved incidents, each with a meeting (version 1) and one attendee
// who already had the invite (so their DM channel and profile are known, as after a real invite).
var t0 = DateTimeOffset.UtcNow;
var due = new DateTimeOffset[options.Count];
using var raw = new HttpClient();
raw.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", slack.BotToken);
var ids = new long[options.Count];
await using (var conn = await db.OpenConnectionAsync())
{
    var team = "TBENCH" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
    for (var i = 0; i < options.Count; i++)
    {
        // The DM exists since the invite; opened here straight at the fake, past the bot's Tier 3 pacing.
        var opened = await raw.PostAsync(slack.ApiUrl + "conversations.open", new FormUrlEncodedContent(new Dictionary<string, string> { ["users"] = users[i] }));
        var dm = System.Text.Json.JsonDocument.Parse(await opened.Content.ReadAsStringAsync()).RootElement.GetProperty("channel").GetProperty("id").GetString();
        ids[i] = await conn.ExecuteScalarAsync<long>("""
            with inc as (
                insert into incidents (team_id, number, title, status, commander_id, reporter_id, channel_name, created_at, resolved_at, channel_id)
                values (@team, @n, @title, 'resolved', @user, @user, @name, @t0, @t0, @channelId || '-' || @team || '-' || @n) returning id),
            pm as (insert into postmortems (incident_id, resolved_at, point_person_id) select id, @t0, @user from inc),
            m as (insert into postmortem_meetings (incident_id, uid, version, starts_at, duration_minutes, moderator_id, updated_at)
                  select id, 'bench-' || id || '@bot', 1, @start, 45, @user, @t0 from inc),
            a as (insert into postmortem_attendees (incident_id, user_id, added_at) select id, @user, @t0 from inc)
            select id from inc
            """, new { team, n = i + 1, title = $"Bench {i}", user = users[i], name = $"inc-bench-{i}", t0, channelId = channel.Id, start = t0.AddHours(25) });
        await conn.ExecuteAsync("""
            insert into slack_dm_channels (user_id, channel_id, opened_at) values (@user, @dm, now()) on conflict (user_id) do nothing;
            insert into slack_users (user_id, display_name, tz, fetched_at) values (@user, @user, @tz, now()) on conflict (user_id) do nothing;
            """, new { user = users[i], dm, tz = zones[i % zones.Length] });
    }
    // Due times from now: lead seconds ahead, spread evenly over the window; meetings a day after each due time.
    t0 = DateTimeOffset.UtcNow;
    for (var i = 0; i < options.Count; i++)
    {
        due[i] = t0.AddSeconds(options.Lead + options.Window * (double)i / options.Count);
        await conn.ExecuteAsync("update postmortem_meetings set starts_at = @start where incident_id = @id", new { start = due[i].AddHours(24), id = ids[i] });
        var incidentId = ids[i];
        jobs.Schedule<MeetingReminderJob>(j => j.Run(incidentId, 1, false, CancellationToken.None), due[i]);
    }
}
Console.WriteLine($"{options.Count} reminders planned, due from +{(due[0] - DateTimeOffset.UtcNow).TotalSeconds:F1} s over {options.Window} s " +
                  $"(workers {options.Workers}, poll {options.Poll}); waiting…");

var dmOf = users.Select(u => slack.Channels.First(c => c.IsIm && c.ImUser == u).Id).ToArray();
var deadline = due[^1].AddSeconds(60);
var clock = Stopwatch.StartNew();
while (DateTimeOffset.UtcNow < deadline)
{
    var delivered = slack.CallsTo("chat.postMessage").Count(c => c.Ok && (c.Arg("text") ?? "").Contains("Tomorrow:"));
    if (delivered >= options.Count) break;
    await Task.Delay(200);
}

var posts = slack.CallsTo("chat.postMessage").Where(c => c.Ok && (c.Arg("text") ?? "").Contains("Tomorrow:")).ToList();
var lateness = new List<double>();
var duplicates = 0;
for (var i = 0; i < options.Count; i++)
{
    var mine = posts.Where(p => p.Arg("channel") == dmOf[i]).OrderBy(p => p.Time).ToList();
    if (mine.Count > 1) duplicates += mine.Count - 1;
    if (mine.Count > 0) lateness.Add((mine[0].Time - due[i]).TotalMilliseconds);
}
lateness.Sort();
double P(double q) => lateness.Count == 0 ? double.NaN : lateness[Math.Min(lateness.Count - 1, (int)Math.Ceiling(q * lateness.Count) - 1)];
Console.WriteLine($"delivered {lateness.Count}/{options.Count}, duplicates {duplicates}");
Console.WriteLine($"lateness ms: min {lateness.FirstOrDefault():F0}  p50 {P(0.50):F0}  p90 {P(0.90):F0}  p99 {P(0.99):F0}  max {lateness.LastOrDefault():F0}");
Console.WriteLine($"load average: {(File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a")}");
await app.StopAsync();
await app.DisposeAsync();
return lateness.Count == options.Count && duplicates == 0 ? 0 : 1;

internal sealed record Args(string? Db, int Count, double Window, double Lead, int Workers, string Poll)
{
    /// <summary>The options, or null when one is not a number (or not positive where it must be).</summary>
    public static Args? Parse(string[] args)
    {
        string? Get(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        static bool Int(string text, out int value) =>
            int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value > 0;
        static bool Seconds(string text, out double value) =>
            double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && value >= 0;
        var poll = Get("--poll") ?? "00:00:01";
        return Int(Get("--count") ?? "200", out var count) && Seconds(Get("--window") ?? "60", out var window)
            && Seconds(Get("--lead") ?? "20", out var lead) && Int(Get("--workers") ?? "10", out var workers)
            && TimeSpan.TryParse(poll, CultureInfo.InvariantCulture, out _)
            ? new Args(Get("--db"), count, window, lead, workers, poll)
            : null;
    }
}
