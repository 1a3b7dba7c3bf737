using System.Diagnostics;
using System.Globalization;
using Bot.ActionItems.Chasing;
using Bot.Hosting;
using Bot.Slack.Testing;
using Dapper;
using Npgsql;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

// Usage: dotnet run -c Release --project bench/Bot.ChaseBench -- [--db <connection string>] [--items 10000] [--owners 1000]
//        [--cold] [--workers 10]
// --cold: the owners' DM channels are not known yet (the first chase ever), so each needs conversations.open (Tier 3).
// Without --db (or BOT_BENCH_POSTGRES) the bot's embedded local PostgreSQL is used.
if (Args.Parse(args) is not { } options)
{
    Console.Error.WriteLine("usage: Bot.ChaseBench [--db <connection string>] [--items N>0] [--owners N>0, at most items] [--cold] [--workers N>0]");
    return 2;
}
var connectionString = options.Db ?? Environment.GetEnvironmentVariable("BOT_BENCH_POSTGRES");

// Slack's documented limits for what a chase calls, with the documented "+" as a little headroom.
await using var slack = await FakeSlack.StartAsync(new FakeSlackOptions
{
    PerMinuteLimits = new Dictionary<string, int>
    {
        ["conversations.open"] = 60, // Tier 3: 50+ per minute
        ["users.info"] = 120,        // Tier 4: 100+ per minute
        ["chat.postMessage"] = 400,  // special: "several hundred per minute" per workspace
    },
    PostsPerChannelPerSecond = 1,
});
var zones = new[] { "Europe/Berlin", "America/New_York", "Asia/Tokyo", "Etc/UTC" };
var owners = Enumerable.Range(0, options.Owners).Select(i => $"UC{i:D5}").ToArray();
for (var i = 0; i < owners.Length; i++) slack.AddUser(owners[i], $"owner{i}", tz: zones[i % zones.Length]);
var channels = Enumerable.Range(0, 10).Select(n => slack.AddChannel($"inc-chase-bench-{n}", members: owners.Take(10).ToArray()).Id).ToArray();

var app = await Bot.Bench.BenchBot.Start(slack, connectionString, "chase", options.Workers, "00:00:01", new Dictionary<string, string?>
{
    // Every zone's chase time has passed today, whenever the bench runs; the bench starts the run itself.
    ["Bot:ActionItems:ChaseTime"] = "00:00",
    ["Bot:ActionItems:ChaseDays"] = "Mon-Sun",
    ["Bot:ActionItems:RunCron"] = "0 0 31 2 *",
});
if (app is null) return 3;
var db = app.Services.GetRequiredService<Bot.Database.Db>();

// The state on a chase morning: resolved incidents with their post-mortems, open items due tomorrow, owners' zones
// cached (as after any earlier message); with --warm-dms (the default) their DM channels known too.
var now = DateTimeOffset.UtcNow;
var team = "TCHASE" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
using var raw = new HttpClient();
raw.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", slack.BotToken);
var seed = Stopwatch.StartNew();
slack.RateLimitsPaused = true; // seeding is not the measured run
await using (var conn = await db.OpenConnectionAsync())
{
    // Earlier benches leave their rows behind; a run counts only its own owners.
    await conn.ExecuteAsync("delete from action_item_chases where owner_id like 'UC%'");
    // Channel ids are the fake's, new on every run.
    await conn.ExecuteAsync("update incidents set channel_id = null where team_id like 'TCHASE%'");
    await conn.ExecuteAsync("update action_items set status = 'dropped' where owner_id like 'UC%' and status = 'open'");
    await conn.ExecuteAsync("delete from slack_dm_channels where user_id like 'UC%'");
    var incidents = new List<long>();
    for (var n = 0; n < 10; n++)
        incidents.Add(await conn.ExecuteScalarAsync<long>("""
            with inc as (
                insert into incidents (team_id, number, title, status, commander_id, reporter_id, channel_name, created_at, resolved_at, channel_id)
                values (@team, @n, @title, 'resolved', @pp, @pp, @name, @now, @now, @channel) returning id),
            pm as (insert into postmortems (incident_id, resolved_at, point_person_id) select id, @now, @pp from inc)
            select id from inc
            """, new { team, n = n + 1, title = $"Chase bench {n}", pp = owners[0], name = $"inc-chase-{n}", now, channel = channels[n] }));
    await conn.ExecuteAsync("""
        insert into action_items (incident_id, text, owner_id, due_on, due_at, created_by, created_at, updated_by, updated_at)
        select (@incidents)[1 + (i % cardinality(@incidents))], 'Bench action item ' || i, (@owners)[1 + (i % cardinality(@owners))],
               (@due)::date, @dueAt, (@owners)[1], @now, (@owners)[1], @now
        from generate_series(0, @items - 1) i
        """, new { incidents = incidents.ToArray(), owners, due = now.AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        dueAt = now.AddDays(1), items = options.Items, now });
    for (var i = 0; i < owners.Length; i++)
    {
        await conn.ExecuteAsync("""
            insert into slack_users (user_id, display_name, tz, fetched_at) values (@user, @user, @tz, now())
            on conflict (user_id) do update set tz = excluded.tz, fetched_at = excluded.fetched_at
            """, new { user = owners[i], tz = zones[i % zones.Length] });
        if (options.Cold) continue;
        // The DM exists since an earlier chase; opened here straight at the fake, outside the measured run.
        var opened = await raw.PostAsync(slack.ApiUrl + "conversations.open", new FormUrlEncodedContent(new Dictionary<string, string> { ["users"] = owners[i] }));
        var body = System.Text.Json.JsonDocument.Parse(await opened.Content.ReadAsStringAsync()).RootElement;
        await conn.ExecuteAsync("insert into slack_dm_channels (user_id, channel_id, opened_at) values (@user, @dm, now()) on conflict (user_id) do nothing",
            new { user = owners[i], dm = body.GetProperty("channel").GetProperty("id").GetString() });
    }
}
slack.RateLimitsPaused = false;
var callsBefore = slack.Calls.Count;
var limitedBefore = slack.RateLimitedCalls;
Console.WriteLine($"{options.Items} open items across {options.Owners} owners in 10 incidents seeded in {seed.Elapsed.TotalSeconds:F1} s " +
                  $"({(options.Cold ? "cold: no DM channel known" : "warm: DM channels known")}); chasing…");

var clock = Stopwatch.StartNew();
int planned;
using (var scope = app.Services.CreateScope())
    planned = await scope.ServiceProvider.GetRequiredService<ChaseRunJob>().Run(CancellationToken.None);
var runTook = clock.Elapsed;
var deadline = DateTime.UtcNow.AddMinutes(options.Cold ? 60 : 30);
long sent = 0;
await using (var conn = await db.OpenConnectionAsync())
    while (DateTime.UtcNow < deadline)
    {
        sent = await conn.ExecuteScalarAsync<long>("select count(*) from action_item_chases where owner_id like 'UC%' and sent_at is not null");
        if (sent >= options.Owners) break;
        await Task.Delay(500);
    }
var took = clock.Elapsed;

var calls = slack.Calls.Skip(callsBefore).ToList();
var posts = calls.Where(c => c.Method == "chat.postMessage" && c.Ok).ToList();
var perOwner = posts.GroupBy(p => p.Arg("channel")).ToList();
Console.WriteLine($"run planned {planned} DMs in {runTook.TotalMilliseconds:F0} ms; all {sent}/{options.Owners} sent after {took.TotalSeconds:F1} s");
Console.WriteLine($"slack calls: {calls.Count} total; chat.postMessage ok {posts.Count} to {perOwner.Count} DMs (max per DM {perOwner.Max(g => g.Count())}); " +
                  $"conversations.open {calls.Count(c => c.Method == "conversations.open")}; users.info {calls.Count(c => c.Method == "users.info")}; " +
                  $"429 {slack.RateLimitedCalls - limitedBefore}");
Console.WriteLine($"items listed: {posts.Sum(p => (p.JsonArg("blocks")?.AsArray().Count ?? 2) / 2 - 1)} (two blocks per item)");
Console.WriteLine($"load average: {(File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a")}");
await app.StopAsync();
await app.DisposeAsync();
return sent == options.Owners && posts.Count == options.Owners && slack.RateLimitedCalls == limitedBefore ? 0 : 1;

internal sealed record Args(string? Db, int Items, int Owners, bool Cold, int Workers)
{
    public static Args? Parse(string[] args)
    {
        string? Get(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        static bool Int(string text, out int value) =>
            int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value > 0;
        return Int(Get("--items") ?? "10000", out var items) && Int(Get("--owners") ?? "1000", out var owners) && owners <= items
            && Int(Get("--workers") ?? "10", out var workers)
            ? new Args(Get("--db"), items, owners, args.Contains("--cold"), workers)
            : null;
    }
}
