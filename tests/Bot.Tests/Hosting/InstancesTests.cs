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
            Assert.Equal(2L, await connection.ExecuteScalarAsync<long>($"select count(*) from {schema}.server"));
        }
        finally
        {
            foreach (var app in apps)
                await app.DisposeAsync();
        }
    }

    [Fact]
    public async Task SocketMode_NeedsNoSigningSecret_AndConnectsToSlack()
    {
        await using var slack = await FakeSlack.StartAsync();
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
