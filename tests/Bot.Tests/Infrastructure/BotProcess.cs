using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;
using Bot.Slack.Testing;

namespace Bot.Tests.Infrastructure;

/// <summary>The real bot executable as a child process (dotnet Bot.dll) on a test database and a fake Slack, for
/// tests that must kill it the way an operator's kill -9 or the OOM killer does (<see cref="Kill"/>: SIGKILL, no
/// shutdown code runs). Its output is kept for the failure message.</summary>
public sealed partial class BotProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private BotProcess(IEnumerable<KeyValuePair<string, string>> env) => _process = BotExecutable.Start(env, _output);

    /// <summary>Where it listens: http://127.0.0.1:port.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    public string Output => string.Join('\n', _output);

    /// <summary>Starts the bot and waits until it listens. Settings are configuration keys (Bot:Inbox:PollInterval).</summary>
    public static async Task<BotProcess> Start(string connectionString, FakeSlack slack, string hangfireSchema,
        IDictionary<string, string>? settings = null)
    {
        var env = new Dictionary<string, string>
        {
            ["SLACK_BOT_TOKEN"] = slack.BotToken,
            ["SLACK_SIGNING_SECRET"] = BotApp.SigningSecret,
            ["SLACK_API_URL"] = slack.ApiUrl,
            ["ConnectionStrings:Bot"] = connectionString,
            ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
            ["Bot:Hangfire:Schema"] = hangfireSchema,
            ["Bot:Hangfire:PollInterval"] = "00:00:00.200",
            ["Bot:Hangfire:WorkerCount"] = "4",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) env[key] = value;

        var bot = new BotProcess(env);
        try
        {
            var listening = await Poll.Until(() => Task.FromResult(bot._output.Select(l => ListeningLine().Match(l)).FirstOrDefault(m => m.Success)),
                m => m is not null || bot._process.HasExited, TimeSpan.FromSeconds(90), "the bot to listen");
            if (listening is null) throw new InvalidOperationException($"The bot exited with {bot._process.ExitCode}:\n{bot.Output}");
            bot.BaseAddress = new Uri(listening.Groups[1].Value);
            return bot;
        }
        catch
        {
            await bot.DisposeAsync();
            throw;
        }
    }

    /// <summary>SIGKILL (what kill -9 sends), then waits until the process is gone.</summary>
    public async Task Kill()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Kill();
        _process.Dispose();
    }

    [GeneratedRegex(@"Now listening on: (http://\S+)")]
    private static partial Regex ListeningLine();
}
