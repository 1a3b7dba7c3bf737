using System.Net.Http.Json;
using System.Text.Json;
using Bot.Hosting.LocalPostgres;
using Bot.Slack.Testing;
using Bot.Tests.Infrastructure;
using Npgsql;

namespace Bot.Tests.Operations;

/// <summary>/readyz against a PostgreSQL cluster of the test's own, which it stops and starts again (the run's shared
/// server is never stopped).</summary>
public sealed class ReadinessTests
{
    private sealed record Check(string Name, bool Ok, string Detail);
    private sealed record Report(bool Ready, List<Check> Checks);
    private sealed record Answer(int Status, Report? Report)
    {
        public override string ToString() => $"{Status} {JsonSerializer.Serialize(Report)}";
    }

    private static async Task<Answer> Readyz(BotApp app)
    {
        using var response = await app.Http.GetAsync("/readyz");
        return new Answer((int)response.StatusCode, await response.Content.ReadFromJsonAsync<Report>(new JsonSerializerOptions(JsonSerializerDefaults.Web)));
    }

    [Fact]
    public async Task Readyz_IsFalseWhilePostgresIsDown_AndTrueAgainAfterItRestarts()
    {
        var root = Directory.CreateTempSubdirectory("bot-ready-").FullName;
        var bin = PostgresTools.FindBinDir()!;
        var dataDir = Path.Combine(root, "postgres");
        try
        {
            var connectionString = new NpgsqlConnectionStringBuilder(EmbeddedPostgres.Start(root)) { Timeout = 3 };
            await using var slack = await FakeSlack.StartAsync(new FakeSlackOptions { BotToken = BotApp.BotToken });
            await using var app = await BotApp.Start(connectionString.ConnectionString, slack);

            var ready = await Poll.Until(() => Readyz(app), a => a.Status == 200, TimeSpan.FromSeconds(30), "/readyz to say ready");
            Assert.True(ready.Report!.Ready);
            Assert.Equal(["database", "hangfire", "slack"], ready.Report.Checks.Select(c => c.Name));
            Assert.All(ready.Report.Checks, c => Assert.True(c.Ok, c.Detail));
            Assert.Contains("migrated to", ready.Report.Checks[0].Detail);

            PostgresTools.Run(bin, "pg_ctl", ["-D", dataDir, "-m", "fast", "-w", "stop"]);

            var down = await Poll.Until(() => Readyz(app), a => a.Status == 503, TimeSpan.FromSeconds(30), "/readyz to say not ready");
            Assert.False(down.Report!.Ready);
            Assert.False(down.Report.Checks.Single(c => c.Name == "database").Ok);
            Assert.True(down.Report.Checks.Single(c => c.Name == "slack").Ok);
            // The process check does not depend on the database: an orchestrator must not restart the bot for it.
            Assert.Equal("ok", await app.Http.GetStringAsync("/healthz"));

            PostgresTools.Run(bin, "pg_ctl", [
                "-D", dataDir, "-l", Path.Combine(root, "postgres.log"), "-w", "-t", "60", "start",
                "-o", $"-p {connectionString.Port} -k {Path.Combine(root, "run")} -c listen_addresses=127.0.0.1",
            ]);

            var back = await Poll.Until(() => Readyz(app), a => a.Status == 200, TimeSpan.FromSeconds(60), "/readyz to say ready again");
            Assert.All(back.Report!.Checks, c => Assert.True(c.Ok, c.Detail));
        }
        finally
        {
            PostgresTools.Run(bin, "pg_ctl", ["-D", dataDir, "-m", "immediate", "-w", "stop"], throwOnError: false);
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task SocketMode_ReadyzFollowsTheConnection_EvenWhileAuthTestFails()
    {
        await using var slack = await FakeSlack.StartAsync(new FakeSlackOptions { BotToken = BotApp.BotToken, BotScopes = ManifestScopes.Bot });
        slack.FailNext("auth.test", 1000, Failure.ServerError(503));
        await using var app = await BotApp.Start(await PostgresServer.Instance.CreateDatabase("readysocket"), slack, new Dictionary<string, string?>
        {
            [Bot.Hosting.SlackSettings.AppTokenKey] = slack.AppToken,
            [Bot.Hosting.SlackSettings.SigningSecretKey] = "",
        });
        await slack.WaitForSocketConnection(1, TimeSpan.FromSeconds(20));

        var up = await Poll.Until(() => Readyz(app), a => a.Status == 200, TimeSpan.FromSeconds(30), "/readyz with the socket up");
        Assert.Equal("Socket Mode connected", up.Report!.Checks.Single(c => c.Name == "slack").Detail);

        // The socket drops and Slack will not hand out a new one.
        slack.FailNext("apps.connections.open", 1000, Failure.ServerError(503));
        slack.DropSockets();
        var down = await Poll.Until(() => Readyz(app), a => a.Status == 503, TimeSpan.FromSeconds(30), "/readyz with the socket down");
        var check = down.Report!.Checks.Single(c => c.Name == "slack");
        Assert.False(check.Ok);
        Assert.StartsWith("Socket Mode not connected", check.Detail);
    }

    [Fact]
    public async Task Readyz_IsFalseWhileSlackHasNotAcceptedTheToken()
    {
        await using var app = await BotApp.Start(await PostgresServer.Instance.CreateDatabase("readyslack"), "http://127.0.0.1:9/api/");

        var answer = await Poll.Until(() => Readyz(app), a => a.Report?.Checks.Single(c => c.Name == "database").Ok == true,
            TimeSpan.FromSeconds(30), "the database check to pass");

        Assert.Equal(503, answer.Status);
        var slack = answer.Report!.Checks.Single(c => c.Name == "slack");
        Assert.False(slack.Ok);
        Assert.Contains("no auth.test accepted", slack.Detail);
    }
}
