using System.Diagnostics;
using Bot.Hosting.LocalPostgres;
using Bot.Slack.Testing;
using Bot.Tests.Infrastructure;
using Npgsql;

namespace Bot.Tests.Hosting;

/// <summary>The real executable, as an operator starts it.</summary>
public class StartupTests
{
    private static ProcessStartInfo BotProcess(IDictionary<string, string> env)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "Bot.dll") },
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        foreach (var name in new[] { "SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "SLACK_API_URL", "DATABASE_URL", "ConnectionStrings__Bot" })
            start.Environment.Remove(name);
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        // Nothing listens on port 9: a test that gets as far as asking Slack never reaches slack.com.
        start.Environment["SLACK_API_URL"] = "http://127.0.0.1:9/api/";
        foreach (var (k, v) in env)
            start.Environment[k] = v;
        return start;
    }

    private static async Task<(int Exit, string Stdout, string Stderr)> RunBot(IDictionary<string, string> env)
    {
        // A bot that should have stopped but runs on is killed at the deadline.
        return await ExitedProcess.Run(BotProcess(env));
    }

    [Fact]
    public async Task MissingBotToken_OneLineOnStderr_ExitCode2()
    {
        var (exit, _, stderr) = await RunBot(new Dictionary<string, string> { ["SLACK_SIGNING_SECRET"] = "s" });

        Assert.Equal(2, exit);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("SLACK_BOT_TOKEN is not set", line);
        Assert.DoesNotContain("   at ", stderr);
    }

    [Fact]
    public async Task MissingSigningSecret_OneLineOnStderr_ExitCode2()
    {
        var (exit, _, stderr) = await RunBot(new Dictionary<string, string> { ["SLACK_BOT_TOKEN"] = "xoxb-1" });

        Assert.Equal(2, exit);
        Assert.StartsWith("SLACK_SIGNING_SECRET is not set", Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
    }

    [Fact]
    public async Task DashboardWithoutPassword_IsRefusedAtStartup()
    {
        var (exit, _, stderr) = await RunBot(new Dictionary<string, string>
        {
            ["SLACK_BOT_TOKEN"] = "xoxb-1", ["SLACK_SIGNING_SECRET"] = "s", ["Bot__Hangfire__Dashboard"] = "true",
        });

        Assert.Equal(2, exit);
        Assert.Contains("Bot:Hangfire:DashboardPassword", stderr);
    }

    [Fact]
    public async Task InvalidFeatureSetting_OneLineOnStderr_ExitCode2()
    {
        var (exit, _, stderr) = await RunBot(new Dictionary<string, string>
        {
            ["SLACK_BOT_TOKEN"] = "xoxb-1", ["SLACK_SIGNING_SECRET"] = "s", ["DATABASE_URL"] = "postgres://u@127.0.0.1:9/nothing",
            ["Bot__Incidents__ChannelPrefix"] = "Not Valid!",
        });

        Assert.Equal(2, exit);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("Invalid settings:", line);
        Assert.Contains("ChannelPrefix", line);
    }

    [Fact]
    public async Task BrokenOperatorTemplate_OneLineWithFileAndLine_ExitCode2()
    {
        var dir = Directory.CreateTempSubdirectory("bot-templates-").FullName;
        var file = Path.Combine(dir, "postmortem.md.sbn");
        await File.WriteAllTextAsync(file, "# {{ title }}\n\n{{ for s in sections }}\n- {{ s.title\n");
        var (exit, _, stderr) = await RunBot(new Dictionary<string, string>
        {
            ["SLACK_BOT_TOKEN"] = "xoxb-1", ["SLACK_SIGNING_SECRET"] = "s", ["DATABASE_URL"] = "postgres://u@127.0.0.1:9/nothing",
            ["Bot__Rendering__TemplatesPath"] = dir,
        });

        Assert.Equal(2, exit);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"Template {file} does not parse: line 4, column ", line);
        Assert.DoesNotContain("   at ", stderr);
    }

    [Fact]
    public async Task UnreachableDatabase_OneLineNamingIt_ExitCode3()
    {
        var (exit, _, stderr) = await RunBot(new Dictionary<string, string>
        {
            ["SLACK_BOT_TOKEN"] = "xoxb-1", ["SLACK_SIGNING_SECRET"] = "s", ["DATABASE_URL"] = "postgres://u:secret@127.0.0.1:9/nothing",
        });

        Assert.Equal(3, exit);
        Assert.Contains("Cannot use PostgreSQL at 127.0.0.1:9/nothing", stderr);
        Assert.DoesNotContain("secret", stderr);
    }

    [Theory]
    [InlineData(null, "invalid_auth")]
    [InlineData("token_revoked", "token_revoked")]
    [InlineData("account_inactive", "account_inactive")]
    [InlineData("not_authed", "not_authed")]
    public async Task BotTokenSlackRefuses_OneLineOnStderr_ExitCode2(string? injected, string error)
    {
        await using var slack = await FakeSlack.StartAsync(new FakeSlackOptions { BotToken = "xoxb-the-real-one" });
        if (injected is not null) slack.FailNext("auth.test", Failure.Error(injected));
        var token = injected is null ? "xoxb-a-typo" : "xoxb-the-real-one";

        var (exit, stdout, stderr) = await RunBot(new Dictionary<string, string>
        {
            ["SLACK_BOT_TOKEN"] = token, ["SLACK_SIGNING_SECRET"] = "s", ["SLACK_API_URL"] = slack.ApiUrl,
            ["ConnectionStrings__Bot"] = await PostgresServer.Instance.CreateDatabase("startup"),
        });

        Assert.Equal(2, exit);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"SLACK_BOT_TOKEN was refused by Slack ({error}): ", line);
        Assert.Contains("OAuth & Permissions", line);
        Assert.DoesNotContain(token, stderr + stdout);
        Assert.DoesNotContain("   at ", stderr + stdout);
        Assert.Single(slack.CallsTo("auth.test"));
    }

    [Fact]
    public async Task SlackNotAnswering_BotRunsAndRetries_OneWarningLinePerTry_ThenLearnsItsIdentity()
    {
        await using var slack = await FakeSlack.StartAsync(new FakeSlackOptions { BotToken = "xoxb-ok" });
        // The startup check and the next two tries get a 503; the fourth is answered.
        slack.FailNext("auth.test", 3, Failure.ServerError(503));
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var process = Process.Start(BotProcess(new Dictionary<string, string>
        {
            ["SLACK_BOT_TOKEN"] = "xoxb-ok", ["SLACK_SIGNING_SECRET"] = "s", ["SLACK_API_URL"] = slack.ApiUrl,
            ["ConnectionStrings__Bot"] = await PostgresServer.Instance.CreateDatabase("startup"),
        }))!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) output.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) output.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await Poll.Until(() => Task.FromResult(output.Any(l => l.Contains("Slack answered: bot user", StringComparison.Ordinal))), seen => seen,
                TimeSpan.FromSeconds(60), "the bot to reach Slack after retrying");

            Assert.False(process.HasExited);
            Assert.Equal(4, slack.CallsTo("auth.test").Count);
            // The two failed tries after the startup check: one line each, with the cause and the next try.
            var warnings = output.Where(l => l.Contains("Slack unreachable at", StringComparison.Ordinal)).ToList();
            Assert.Equal(2, warnings.Count);
            Assert.All(warnings, w => Assert.Contains("http_503", w));
            Assert.All(warnings, w => Assert.Contains("next try in", w));
            Assert.DoesNotContain(output, l => l.StartsWith("   at ", StringComparison.Ordinal) || l.Contains("Exception", StringComparison.Ordinal));
            var listening = output.Select(l => System.Text.RegularExpressions.Regex.Match(l, @"Now listening on: (http://\S+)")).First(m => m.Success);
            using var http = new HttpClient();
            Assert.Equal("ok", await http.GetStringAsync(listening.Groups[1].Value + "/healthz"));
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    [Fact]
    public void EmbeddedPostgres_CreatesTheClusterAndDatabase_ThenReusesIt()
    {
        var root = Directory.CreateTempSubdirectory("bot-embedded-").FullName;
        try
        {
            var first = EmbeddedPostgres.Start(root);
            var second = EmbeddedPostgres.Start(root);

            Assert.Equal(first, second);
            using var connection = new NpgsqlConnection(first);
            connection.Open();
            using var command = new NpgsqlCommand("select current_database()", connection);
            Assert.Equal("bot", command.ExecuteScalar());
            Assert.True(File.Exists(Path.Combine(root, "postgres", "PG_VERSION")));
        }
        finally
        {
            PostgresTools.Run(PostgresTools.FindBinDir()!, "pg_ctl", ["-D", Path.Combine(root, "postgres"), "-m", "immediate", "-w", "stop"], throwOnError: false);
            Directory.Delete(root, recursive: true);
        }
    }
}
