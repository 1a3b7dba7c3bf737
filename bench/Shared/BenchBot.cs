using System.Globalization;
using Bot.Hosting;
using Bot.Slack.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace Bot.Bench;

/// <summary>Starts the bot in the bench's own process against the fake Slack on loopback, with a Hangfire schema of its
/// own; compiled into each bench that needs it (bench projects have no shared library).</summary>
internal static class BenchBot
{
    /// <summary>The started app, or null after one line on stderr (a wrong --db or no reachable PostgreSQL: no stack
    /// trace).</summary>
    public static async Task<WebApplication?> Start(FakeSlack slack, string? connectionString, string name, int workers,
        string pollInterval, IDictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["SLACK_BOT_TOKEN"] = slack.BotToken,
            ["SLACK_SIGNING_SECRET"] = "bench-signing-secret",
            ["SLACK_APP_TOKEN"] = "",
            ["SLACK_API_URL"] = slack.ApiUrl,
            ["DATABASE_URL"] = "",
            ["Bot:Hangfire:Schema"] = $"hangfire_{name}_{Guid.NewGuid():N}"[..24],
            ["Bot:Hangfire:WorkerCount"] = workers.ToString(CultureInfo.InvariantCulture),
            ["Bot:Hangfire:PollInterval"] = pollInterval,
            ["Logging:LogLevel:Default"] = "Warning",
            // A start failure is reported below in one line; the host would log it again with its stack trace.
            ["Logging:LogLevel:Microsoft.Extensions.Hosting"] = "None",
        };
        foreach (var (k, v) in extra ?? new Dictionary<string, string?>()) settings[k] = v;
        if (connectionString is not null) settings["ConnectionStrings:Bot"] = connectionString;
        else settings["Bot:Database:EmbeddedDataPath"] = Path.Combine(Path.GetTempPath(), $"bot-{name}-bench");

        try
        {
            var app = BotHost.Build([], b =>
            {
                b.Configuration.AddInMemoryCollection(settings);
                b.WebHost.UseUrls("http://127.0.0.1:0");
            });
            await app.StartAsync();
            return app;
        }
        catch (Exception e) when (e is StartupException or NpgsqlException or System.Net.Sockets.SocketException or TimeoutException)
        {
            Console.Error.WriteLine($"cannot start the bot: {e.GetBaseException().Message}");
            return null;
        }
    }
}
