using System.Diagnostics;
using Bot.Slack.Testing;
using Bot.Tests.Infrastructure;

namespace Bot.Tests.Operations;

/// <summary>The real executable, as an operator runs it: what it logs when Slack is unreachable, and how it stops.</summary>
public sealed class ProcessTests
{
    private const string Secret = RunningBot.Secret;

    [Fact]
    public async Task SlackUnreachable_EachFailureIsOneWarningLine_WithTheCauseAndTheNextTry_NoStackTrace_NoSecret()
    {
        const string token = "xoxb-unreachable-secret-token";
        await using var bot = new RunningBot(new Dictionary<string, string>
        {
            ["SLACK_BOT_TOKEN"] = token,
            // Nothing listens on port 9: connection refused, as with slack.com blocked by a firewall.
            ["SLACK_API_URL"] = "http://127.0.0.1:9/api/",
            ["ConnectionStrings__Bot"] = await PostgresServer.Instance.CreateDatabase("unreachable"),
        });
        await bot.Listening();
        // A command whose work needs Slack (the incident channel job) fails too, in the client and in Hangfire's retries.
        using var http = new HttpClient();
        using (var reply = await http.SendAsync(bot.SignedCommand("new Checkout is down", "trigger.1", "http://127.0.0.1:9/response/1")))
            Assert.Equal(200, (int)reply.StatusCode);

        bool Retried(string l) => l.Contains("Slack unreachable at http://127.0.0.1:9/api/", StringComparison.Ordinal);
        bool JobRetried(string l) => l.Contains("Retry attempt", StringComparison.Ordinal);
        await Poll.Until(() => Task.FromResult(bot.Output.ToArray()), lines => lines.Count(Retried) >= 3 && lines.Any(JobRetried),
            TimeSpan.FromSeconds(60), "three failed tries of auth.test and a retried job");

        var lines = bot.Output.ToArray();
        foreach (var line in lines.Where(Retried))
        {
            Assert.Contains(" warn: ", line);
            Assert.Contains("Connection refused", line);
            Assert.Matches(@"next try in \S+ \(at \d\d:\d\d:\d\dZ\)", line);
        }
        Assert.Contains(lines, l => l.Contains("Slack unreachable at 127.0.0.1:9 for ", StringComparison.Ordinal) && l.Contains("retry 1 of"));
        var job = lines.First(JobRetried);
        Assert.Contains("(cause: ", job);
        Assert.DoesNotContain(lines, l => l.StartsWith("   at ", StringComparison.Ordinal) || l.Contains("--- End of", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains(" fail: ", StringComparison.Ordinal));
        Assert.DoesNotContain(token, bot.All);
        Assert.DoesNotContain(Secret, bot.All);
        Assert.False(bot.Process.HasExited, bot.All);
    }

    [Fact]
    public async Task JsonLogs_OneSetting_EveryLineIsOneJsonObject_AndAConnectionFailureHasNoException()
    {
        await using var bot = new RunningBot(new Dictionary<string, string>
        {
            ["SLACK_BOT_TOKEN"] = "xoxb-json-secret-token",
            ["SLACK_API_URL"] = "http://127.0.0.1:9/api/",
            ["ConnectionStrings__Bot"] = await PostgresServer.Instance.CreateDatabase("jsonlogs"),
            ["Bot__Logging__Json"] = "true",
        });
        await bot.Listening();
        await Poll.Until(() => Task.FromResult(bot.Output.Count(l => l.Contains("Slack unreachable", StringComparison.Ordinal))), n => n >= 2,
            TimeSpan.FromSeconds(30), "two failed tries of auth.test");

        var lines = bot.Output.Where(l => l.StartsWith('{')).ToArray();
        Assert.NotEmpty(lines);
        // Only the embedded-database notice and the like are plain text; every log entry is one JSON object on one line.
        Assert.All(bot.Output.Where(l => l.Contains("Slack unreachable") || l.Contains("Now listening")), l => Assert.StartsWith("{", l));
        foreach (var line in lines)
        {
            using var entry = System.Text.Json.JsonDocument.Parse(line);
            Assert.True(entry.RootElement.TryGetProperty("LogLevel", out _), line);
            Assert.True(entry.RootElement.TryGetProperty("Timestamp", out _), line);
        }
        var failure = lines.First(l => l.Contains("Slack unreachable", StringComparison.Ordinal));
        using (var doc = System.Text.Json.JsonDocument.Parse(failure))
        {
            Assert.Equal("Warning", doc.RootElement.GetProperty("LogLevel").GetString());
            Assert.False(doc.RootElement.TryGetProperty("Exception", out _), failure);
        }
        Assert.DoesNotContain("xoxb-json-secret-token", bot.All);
    }

    [Fact]
    public async Task Sigterm_DuringASlowRequest_TheRequestCompletes_AndTheProcessExits0()
    {
        await using var slack = await FakeSlack.StartAsync(new FakeSlackOptions { BotToken = "xoxb-term" });
        slack.AddUser("U0ADA", "ada", "Ada Lovelace", "Ada");
        await using var bot = new RunningBot(new Dictionary<string, string>
        {
            ["SLACK_BOT_TOKEN"] = "xoxb-term",
            ["SLACK_API_URL"] = slack.ApiUrl,
            ["ConnectionStrings__Bot"] = await PostgresServer.Instance.CreateDatabase("sigterm"),
            ["Bot__Metrics__Prometheus"] = "true",
        });
        await bot.Listening();
        // /incident new without a title opens the form: views.open, inline, which Slack answers slowly here.
        slack.FailNext("views.open", Failure.Delay(TimeSpan.FromSeconds(1.5)));
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var request = http.SendAsync(bot.SignedCommand("new", slack.NewTriggerId(), slack.ResponseUrl()));

        // In flight: the bot's own request metrics count it.
        await Poll.Until(async () => await Scrape.From(new HttpClient { BaseAddress = new Uri(bot.Url) }),
            s => s.Value("http_server_active_requests", ("http_request_method", "POST")) >= 1, TimeSpan.FromSeconds(20), "the command to be in flight");
        await bot.Terminate();

        using var reply = await request;
        Assert.Equal(200, (int)reply.StatusCode);
        // The handler's own Slack call was not cut short by the stop either (499 would be a call given up on).
        Assert.Equal(200, (await slack.WaitForCall("views.open", timeout: TimeSpan.FromSeconds(10))).HttpStatus);
        using var exit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await bot.Process.WaitForExitAsync(exit.Token);
        Assert.Equal(0, bot.Process.ExitCode);
        Assert.Contains("Application is shutting down", bot.All);
    }
}
