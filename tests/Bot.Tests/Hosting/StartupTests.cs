using System.Diagnostics;
using Bot.Hosting.LocalPostgres;
using Bot.Tests.Infrastructure;
using Npgsql;

namespace Bot.Tests.Hosting;

/// <summary>The real executable, as an operator starts it.</summary>
public class StartupTests
{
    private static async Task<(int Exit, string Stdout, string Stderr)> RunBot(IDictionary<string, string> env)
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
        foreach (var (k, v) in env)
            start.Environment[k] = v;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(cts.Token);
        return (process.ExitCode, await stdout, await stderr);
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
