using System.Text.Json.Nodes;
using Bot.Slack.Testing;
using Bot.Tests.Infrastructure;
using Bot.Timeline;
using Dapper;
using Npgsql;

namespace Bot.Tests.Reliability;

/// <summary>Work promised by an ack survives kill -9: the bot (the real executable) acks a shortcut or a button,
/// is killed while the handler waits on the database (a test transaction holds the incidents table), and a new
/// process on the same database runs the work exactly once (docs/reliability.md, "Nothing acked is lost").</summary>
public sealed class AfterAckCrashTests : IAsyncLifetime
{
    private const string Ada = "U0ADA";
    private const string Bob = "U0BOB";

    private static readonly Dictionary<string, string> Fast = new()
    {
        // A killed process's lease runs out in 2 s instead of 30 s, so the test does not wait half a minute.
        ["Bot:Inbox:PollInterval"] = "00:00:00.200",
        ["Bot:Inbox:OwnerTimeout"] = "00:00:02",
    };

    private FakeSlack _slack = null!;
    private FakeChannel _general = null!;
    private string _db = "";
    private readonly string _schema = $"hangfire_{Guid.NewGuid():N}"[..21];

    public async Task InitializeAsync()
    {
        _slack = await FakeSlack.StartAsync(new FakeSlackOptions { BotScopes = ManifestScopes.Bot });
        _slack.AddUser(Ada, "ada", "Ada Lovelace", "Ada");
        _slack.AddUser(Bob, "bob", "Bob Hope", "bob");
        _general = _slack.AddChannel("general", members: [Ada, Bob]);
        _db = await PostgresServer.Instance.CreateDatabase("crash");
    }

    public async Task DisposeAsync() => await _slack.DisposeAsync();

    [Fact]
    public async Task MessageShortcut_KilledRightAfterTheAck_RunsOnceAfterTheRestart()
    {
        var incident = await OpenIncident();
        var message = _slack.AddMessage(_general.Id, Bob, "the disk filled at 10:02");

        var ack = await AckedThenKilled(slack => slack.MessageShortcut(AddToIncidentShortcut.CallbackId, Ada, message));

        await using var second = await BotProcess.Start(_db, _slack, _schema, Fast);
        var reply = await _slack.WaitForResponse(ack.ResponseUrl!, timeout: TimeSpan.FromSeconds(30));
        Assert.Contains($"Added to incident #{incident.Number}", reply.Body!["text"]!.ToString());
        await Poll.Until(() => Scalar<long>("select count(*) from slack_inbox"), n => n == 0, TimeSpan.FromSeconds(30), "the row marked done");

        Assert.Single(_slack.ResponsesTo(ack.ResponseUrl!));
        Assert.Equal(1L, await Scalar<long>(
            "select count(*) from timeline_entries where incident_id = @Id and kind = 'detail' and slack_ts = @Ts",
            new { incident.Id, message.Ts }));
    }

    [Fact]
    public async Task Button_KilledRightAfterTheAck_RunsOnceAfterTheRestart()
    {
        var incident = await OpenIncident();

        var ack = await AckedThenKilled(slack => slack.Interaction(new JsonObject
        {
            ["type"] = "block_actions",
            ["container"] = new JsonObject { ["type"] = "message", ["message_ts"] = "1700000000.000100", ["channel_id"] = incident.ChannelId, ["is_ephemeral"] = true },
            ["channel"] = new JsonObject { ["id"] = incident.ChannelId, ["name"] = "inc" },
            ["actions"] = new JsonArray(new JsonObject
            {
                ["type"] = "button", ["action_id"] = TimelineView.PreviousAction, ["block_id"] = "b",
                ["value"] = $"{incident.Id}:0", ["action_ts"] = "1700000001.000001",
            }),
        }, Ada));

        await using var second = await BotProcess.Start(_db, _slack, _schema, Fast);
        var reply = await _slack.WaitForResponse(ack.ResponseUrl!, timeout: TimeSpan.FromSeconds(30));
        Assert.Contains("Disk full", reply.Body!.ToJsonString());
        await Poll.Until(() => Scalar<long>("select count(*) from slack_inbox"), n => n == 0, TimeSpan.FromSeconds(30), "the row marked done");

        Assert.Single(_slack.ResponsesTo(ack.ResponseUrl!));
    }

    private sealed record Incident(long Id, int Number, string ChannelId);

    /// <summary>/incident new through a bot of its own, killed once the channel is open.</summary>
    private async Task<Incident> OpenIncident()
    {
        await using var bot = await BotProcess.Start(_db, _slack, _schema, Fast);
        var reply = await _slack.OverHttp(bot.BaseAddress.ToString(), BotApp.SigningSecret).SlashCommand("/incident", "new Disk full", Ada, _general.Id);
        Assert.Equal(200, reply.HttpStatus);
        return await Poll.Until(async () =>
        {
            await using var c = await Open();
            return await c.QuerySingleOrDefaultAsync<Incident>(
                "select id, number, channel_id as ChannelId from incidents where reporter_told_at is not null");
        }, i => i is not null, TimeSpan.FromSeconds(60), "the incident's channel") ?? throw new InvalidOperationException();
    }

    /// <summary>A transaction that locks the incidents table until disposed: every handler here reads it first, so
    /// the acked work is stuck before it has done anything.</summary>
    private async Task<IAsyncDisposable> HoldIncidents()
    {
        var connection = await Open();
        var tx = await connection.BeginTransactionAsync();
        await connection.ExecuteAsync("lock table incidents in access exclusive mode", transaction: tx);
        return new Hold(connection, tx);
    }

    private sealed class Hold(NpgsqlConnection connection, NpgsqlTransaction tx) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await tx.RollbackAsync();
            await connection.DisposeAsync();
        }
    }

    /// <summary>Sends it to a first bot while its handler is held on the database, sees the 200, kills the bot with
    /// SIGKILL: nothing reached Slack, and the work is one row in the inbox.</summary>
    private async Task<AppReply> AckedThenKilled(Func<SlackAppDriver, Task<AppReply>> send)
    {
        AppReply ack;
        await using (var first = await BotProcess.Start(_db, _slack, _schema, Fast))
        {
            await using var hold = await HoldIncidents();
            ack = await send(_slack.OverHttp(first.BaseAddress.ToString(), BotApp.SigningSecret));
            Assert.Equal(200, ack.HttpStatus);
            await HandlerWaitsOnTheDatabase(first);
            await first.Kill();
        }
        Assert.Empty(_slack.ResponsesTo(ack.ResponseUrl!));
        Assert.Equal(1L, await Scalar<long>("select count(*) from slack_inbox"));
        return ack;
    }

    private async Task HandlerWaitsOnTheDatabase(BotProcess bot) =>
        await Poll.Until(() => Scalar<long>("""
            select count(*) from pg_stat_activity
            where datname = current_database() and application_name = 'incident-bot' and wait_event_type = 'Lock'
            """), n => n >= 1, TimeSpan.FromSeconds(30), "the handler to wait on the locked table; bot output:\n" + bot.Output);

    private async Task<NpgsqlConnection> Open()
    {
        var c = new NpgsqlConnection(_db);
        await c.OpenAsync();
        return c;
    }

    private async Task<T> Scalar<T>(string sql, object? args = null)
    {
        await using var c = await Open();
        return await c.ExecuteScalarAsync<T>(sql, args) ?? default!;
    }
}
