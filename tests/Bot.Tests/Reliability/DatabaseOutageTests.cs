using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Bot.Slack.Testing;
using Bot.Slack.WebApi;
using Bot.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit.Abstractions;

namespace Bot.Tests.Reliability;

/// <summary>PostgreSQL (a cluster of this test's own) is stopped and started while Slack delivers a steady load of
/// messages into an incident channel. Every event answered 200 is stored exactly once; every 503 is delivered
/// again (as Slack does, only sooner) and then stored; a slash command during the outage is told to try again;
/// the bot serves again afterwards without a restart, Hangfire's jobs included (docs/reliability.md, "Database outages").</summary>
public sealed class DatabaseOutageTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Ada = "U0ADA";
    private const string Bob = "U0BOB";
    private const int Events = 600;
    private const int Senders = 8;
    private const string Unavailable = "The bot can't reach its database right now; try again in a moment.";

    private DedicatedPostgres _postgres = null!;
    private FakeSlack _slack = null!;
    private FakeChannel _general = null!;

    public async Task InitializeAsync()
    {
        _postgres = DedicatedPostgres.Create();
        _slack = await FakeSlack.StartAsync(new FakeSlackOptions { BotScopes = ManifestScopes.Bot });
        _slack.AddUser(Ada, "ada", "Ada Lovelace", "Ada");
        _slack.AddUser(Bob, "bob", "Bob Hope", "bob");
        _general = _slack.AddChannel("general", members: [Ada, Bob]);
    }

    public async Task DisposeAsync()
    {
        await _slack.DisposeAsync();
        await _postgres.DisposeAsync();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task PostgresRestartUnderCaptureLoad_EveryAckedEventStoredOnce_TheRestRetried(bool captureBeforeAck)
    {
        var db = await _postgres.CreateDatabase($"outage_{captureBeforeAck}".ToLowerInvariant());
        await using var app = await BotApp.Start(db, _slack, new Dictionary<string, string?>
        {
            ["Bot:Timeline:CaptureBeforeAck"] = captureBeforeAck ? "true" : "false",
            ["Bot:Inbox:PollInterval"] = "00:00:00.200",
        }, configure: b => b.Services.Configure<SlackWebApiOptions>(o => o.RateLimit = false));
        var slack = _slack.OverHttp(app.BaseAddress.ToString(), BotApp.SigningSecret);

        Assert.Equal(200, (await slack.SlashCommand("/incident", "new Replica lag", Ada, _general.Id)).HttpStatus);
        var channel = await WaitUntilOpened(db, 1);

        var acked = new ConcurrentDictionary<string, int>();       // ts → attempts it took
        var refused = 0;
        var firstTry = 0;
        var statuses = new ConcurrentDictionary<int, int>();
        var sent = 0;
        var baseSeconds = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        // One delivery and, while refused, its redeliveries (Slack's come after 1 s, 1 min and 5 min; these sooner).
        async Task Deliver(int i)
        {
            var ts = $"{baseSeconds}.{i:D6}";
            var evt = new JsonObject
            {
                ["type"] = "message", ["channel"] = channel, ["channel_type"] = "channel", ["user"] = Bob,
                ["text"] = $"load message {i}", ["ts"] = ts, ["event_ts"] = ts,
            };
            var eventId = $"EvOUT{captureBeforeAck}{i:D6}";
            Interlocked.Increment(ref sent);
            for (var attempt = 0; ; attempt++)
            {
                var reply = await slack.Event(evt, eventId, retryNum: attempt, retryReason: attempt > 0 ? "http_error" : null);
                statuses.AddOrUpdate(reply.HttpStatus!.Value, 1, (_, n) => n + 1);
                if (reply.HttpStatus == 200)
                {
                    acked[ts] = attempt + 1;
                    if (attempt == 0) Interlocked.Increment(ref firstTry);
                    return;
                }
                Interlocked.Increment(ref refused);
                Assert.True(attempt < 200, $"event {ts} still refused after {attempt} deliveries");
                await Task.Delay(300);
            }
        }

        // Each sender delivers a new message every 100 ms, whatever happened to the previous ones.
        async Task Sender(int lane)
        {
            var deliveries = new List<Task>();
            for (var i = lane; i < Events; i += Senders)
            {
                deliveries.Add(Deliver(i));
                await Task.Delay(100);
            }
            await Task.WhenAll(deliveries);
        }

        var load = Task.WhenAll(Enumerable.Range(0, Senders).Select(l => Task.Run(() => Sender(l))));
        await Poll.Until(() => Task.FromResult(acked.Count), n => n >= Events / 3, TimeSpan.FromSeconds(60), "a third of the load acked");

        await Task.Run(_postgres.Stop);
        var ackedBeforeOutage = acked.Count;
        var duringOutage = await slack.SlashCommand("/incident", "new During the outage", Ada, _general.Id);
        await Task.Delay(TimeSpan.FromSeconds(3)); // the database stays down a while: the outage under test, not a wait for a result
        var refusedDuringOutage = refused;
        await Task.Run(_postgres.Start);
        var restarted = System.Diagnostics.Stopwatch.StartNew();

        await load.WaitAsync(TimeSpan.FromSeconds(120));
        var allAcked = restarted.Elapsed;

        // The slash command was answered (in the ack or, had it run past the ack deadline, at its response_url).
        Assert.Equal(200, duringOutage.HttpStatus);
        var said = duringOutage.Body?["text"]?.ToString()
            ?? (await _slack.WaitForResponse(duringOutage.ResponseUrl!)).Body!["text"]!.ToString();
        Assert.Equal(Unavailable, said);

        // Nothing but 200 and 503, and the outage did refuse some.
        Assert.Equal([200, 503], statuses.Keys.Order());
        Assert.True(refusedDuringOutage > 0, "no event was refused while the database was down");
        Assert.Equal(Events, acked.Count);

        // Every acked event stored exactly once (after the ack, capture may finish a moment later).
        var stored = await Poll.Until(() => StoredMessages(db, channel), rows => rows.Count == Events, TimeSpan.FromSeconds(90), "every message stored");
        Assert.Equal(acked.Keys.Order(StringComparer.Ordinal), stored.Keys.Order(StringComparer.Ordinal));
        Assert.All(stored, kv => Assert.Equal(1, kv.Value));
        await Poll.Until(() => Scalar<long>(db, "select count(*) from slack_inbox"), n => n == 0, TimeSpan.FromSeconds(60), "the inbox emptied");

        // The bot serves again by itself: a command, its Hangfire job and the channel it opens.
        var after = await slack.SlashCommand("/incident", "new After the outage", Ada, _general.Id);
        Assert.Equal(200, after.HttpStatus);
        await WaitUntilOpened(db, 2);
        var served = restarted.Elapsed;

        output.WriteLine($"captureBeforeAck={captureBeforeAck}: events sent {sent}, acked {acked.Count} " +
                         $"({firstTry} on the first delivery, {ackedBeforeOutage} before the stop), 503 answers {refused} " +
                         $"({refusedDuringOutage} by the end of the outage), events that needed a redelivery {acked.Count(a => a.Value > 1)}, " +
                         $"most deliveries for one event {acked.Values.Max()}, stored {stored.Count}, stored twice {stored.Count(kv => kv.Value > 1)}; " +
                         $"after the restart: last event acked in {allAcked.TotalSeconds:0.0} s, a new incident's channel open in {served.TotalSeconds:0.0} s");
    }

    private static async Task<string> WaitUntilOpened(string db, int number) =>
        (await Poll.Until(() => Scalar<string?>(db, "select channel_id from incidents where number = @number and reporter_told_at is not null", new { number }),
            c => c is not null, TimeSpan.FromSeconds(60), $"incident #{number} opened"))!;

    private static async Task<Dictionary<string, int>> StoredMessages(string db, string channel)
    {
        await using var c = await Open(db);
        var rows = await c.QueryAsync<(string Ts, int Count)>("""
            select t.slack_ts, count(*)::int from timeline_entries t join incidents i on i.id = t.incident_id
            where i.channel_id = @channel and t.kind = 'message' and t.text like 'load message %'
            group by t.slack_ts
            """, new { channel });
        return rows.ToDictionary(r => r.Ts, r => r.Count);
    }

    /// <summary>The test's own reads go unpooled: a pooled connection from before the restart would fail once (57P01).</summary>
    private static async Task<NpgsqlConnection> Open(string db)
    {
        var c = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(db) { Pooling = false }.ConnectionString);
        await c.OpenAsync();
        return c;
    }

    private static async Task<T> Scalar<T>(string db, string sql, object? args = null)
    {
        await using var c = await Open(db);
        return await c.ExecuteScalarAsync<T>(sql, args) ?? default!;
    }
}
