using Bot.Database;
using Bot.Hosting;
using Bot.Slack.Testing;
using Bot.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Tests.Hosting;

public class InstancesTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task TwoInstances_StartingTogetherOnAFreshDatabase_BothStart_AndMigrateOnce()
    {
        var database = await postgres.NewDatabase("twostart");
        const string schema = "hangfire_shared";

        var apps = await Task.WhenAll(
            BotApp.Start(database, "http://127.0.0.1:9/api/", hangfireSchema: schema),
            BotApp.Start(database, "http://127.0.0.1:9/api/", hangfireSchema: schema));
        try
        {
            foreach (var app in apps)
                Assert.Equal("ok", await app.Http.GetStringAsync("/healthz"));
            await using var connection = await apps[0].Services.GetRequiredService<Db>().OpenConnectionAsync();
            Assert.Equal(Migrator.LoadEmbedded().Count, await connection.ExecuteScalarAsync<long>("select count(*) from schema_migrations"));
            // Both Hangfire servers announce themselves (their first heartbeat comes just after start).
            await Poll.Until(() => connection.ExecuteScalarAsync<long>($"select count(*) from {schema}.server"), n => n == 2,
                what: "two Hangfire servers");
        }
        finally
        {
            foreach (var app in apps)
                await app.DisposeAsync();
        }
    }

    [Fact]
    public async Task Jobs_KeepRunning_AfterAnotherAppInTheProcessIsDisposed()
    {
        // Hangfire's logging is process-wide: the app built last used to leave a disposed LoggerFactory
        // behind, and every other app's workers then failed right after fetching a job.
        await using var survivor = await BotApp.Start(postgres.ConnectionString, "http://127.0.0.1:9/api/");
        var gone = await BotApp.Start(await postgres.NewDatabase("gone"), "http://127.0.0.1:9/api/");
        await gone.DisposeAsync();

        var db = survivor.Services.GetRequiredService<Db>();
        var id = Guid.NewGuid().ToString("N");
        await db.InTransaction(async (connection, jobs) =>
        {
            await connection.ExecuteAsync("""
                create table if not exists test_facts (id text primary key);
                create table if not exists test_job_runs (fact_id text not null, ran_at timestamptz not null default now());
                insert into test_facts (id) values (@id);
                """, new { id });
            jobs.Enqueue<Bot.Tests.Database.RecordRunJob>(j => j.Run(id));
        });

        await using var check = await db.OpenConnectionAsync();
        var runs = await Poll.Until(
            () => check.ExecuteScalarAsync<long>("select count(*) from test_job_runs where fact_id = @id", new { id }),
            n => n > 0, TimeSpan.FromSeconds(15), "the job to run");
        Assert.Equal(1L, runs);
    }

    [Fact]
    public async Task SocketMode_NeedsNoSigningSecret_AndConnectsToSlack()
    {
        await using var slack = await FakeSlack.StartAsync(new FakeSlackOptions { BotScopes = ManifestScopes.Bot });
        await using var app = await BotApp.Start(postgres.ConnectionString, slack, new Dictionary<string, string?>
        {
            [SlackSettings.AppTokenKey] = slack.AppToken,
            [SlackSettings.SigningSecretKey] = "",
        });

        var connection = await slack.WaitForSocketConnection(1, TimeSpan.FromSeconds(20));
        var ack = await slack.SendEnvelope("events_api",
            app.EventEnvelope(new { type = "message", channel = "C0NOTINC", user = "U1", text = "hello", ts = "1700000000.000200" }),
            timeout: TimeSpan.FromSeconds(10));

        Assert.True(connection.IsOpen);
        Assert.False(string.IsNullOrEmpty(ack.EnvelopeId));
        Assert.True(ack.Elapsed < TimeSpan.FromSeconds(3), $"acked after {ack.Elapsed}");
    }
}
