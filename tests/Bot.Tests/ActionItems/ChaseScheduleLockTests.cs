using Bot.Slack.Testing;
using Bot.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Bot.Tests.ActionItems;

/// <summary>A process killed while Hangfire's recurring-job scheduler held the chase job's lock leaves that lock row
/// behind for Hangfire.PostgreSql's 10 minutes. The next start must not wait on it and fail (it did: exit 134 after a
/// kill -9 in AfterAckCrashTests).</summary>
public sealed class ChaseScheduleLockTests(PostgresFixture db) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task A_lock_left_by_a_dead_process_neither_stops_the_start_nor_loses_the_schedule()
    {
        await using var slack = await FakeSlack.StartAsync(new FakeSlackOptions { BotToken = BotApp.BotToken, TeamId = BotApp.DefaultTeamId });
        var connection = await db.NewDatabase("chaselock");
        string schema;
        await using (var first = await BotApp.Start(connection, slack))
            schema = first.HangfireSchema;
        Assert.Equal("* * * * *", await Cron(connection, schema));

        // The dead process's lock, as Hangfire.PostgreSql writes it.
        await using (var sql = new NpgsqlConnection(connection))
            await sql.ExecuteAsync($"""insert into "{schema}".lock (resource, acquired) values (@Resource, now() at time zone 'utc')""",
                new { Resource = $"{schema}:lock:recurring-job:action-items-chase" });

        // Same schedule: started, nothing to write.
        await using (var same = await BotApp.Start(connection, slack, hangfireSchema: schema))
            Assert.Equal(200, (int)(await same.Http.GetAsync("/healthz")).StatusCode);

        // A changed schedule: started all the same, told in one warning, the old schedule stays until the lock is free.
        var logs = new LogRecorder();
        await using (var changed = await BotApp.Start(connection, slack,
                         new Dictionary<string, string?> { ["Bot:ActionItems:RunCron"] = "*/5 * * * *" },
                         b => b.Logging.AddProvider(logs), hangfireSchema: schema))
        {
            Assert.Equal(200, (int)(await changed.Http.GetAsync("/healthz")).StatusCode);
            Assert.Contains(logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("chase schedule could not be updated now"));
            Assert.Equal("* * * * *", await Cron(connection, schema));
        }
    }

    private static async Task<string?> Cron(string connection, string schema)
    {
        await using var sql = new NpgsqlConnection(connection);
        return await sql.ExecuteScalarAsync<string?>(
            $"""select value from "{schema}".hash where key = 'recurring-job:action-items-chase' and field = 'Cron'""");
    }
}
