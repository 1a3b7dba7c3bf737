using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Bot.Slack.Signing;
using Bot.Slack.Testing;
using Bot.Tests.Infrastructure;

namespace Bot.Tests.Operations;

/// <summary>The real executable, as an operator runs it: what it logs when Slack is unreachable, and how it stops.</summary>
public sealed class ProcessTests
{
    private const string Secret = "sig-secret-do-not-log";

    private sealed class RunningBot : IAsyncDisposable
    {
        public readonly ConcurrentQueue<string> Output = new();
        public Process Process { get; }
        public string Url { get; private set; } = "";

        public RunningBot(IDictionary<string, string> env)
        {
            var start = new ProcessStartInfo("dotnet")
            {
                ArgumentList = { Path.Combine(AppContext.BaseDirectory, "Bot.dll") },
                WorkingDirectory = AppContext.BaseDirectory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            foreach (var name in new[] { "SLACK_APP_TOKEN", "DATABASE_URL", "OTEL_EXPORTER_OTLP_ENDPOINT" })
                start.Environment.Remove(name);
            start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
            start.Environment["SLACK_SIGNING_SECRET"] = Secret;
            foreach (var (k, v) in env) start.Environment[k] = v;
            Process = Process.Start(start)!;
            Process.OutputDataReceived += (_, e) => { if (e.Data is not null) Output.Enqueue(e.Data); };
            Process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Output.Enqueue(e.Data); };
            Process.BeginOutputReadLine();
            Process.BeginErrorReadLine();
        }

        public string All => string.Join("\n", Output);

        public async Task Listening()
        {
            await Poll.Until(() => Task.FromResult(Output.Any(l => l.Contains("Now listening on: "))), seen => seen, TimeSpan.FromSeconds(60),
                "the bot to listen");
            Url = Output.Select(l => Regex.Match(l, @"Now listening on: (http://[^\s""]+)")).First(m => m.Success).Groups[1].Value;
        }

        public HttpRequestMessage SignedCommand(string text, string triggerId, string responseUrl)
        {
            var body = string.Join("&", new Dictionary<string, string>
            {
                ["team_id"] = "T0TEST", ["channel_id"] = "C0GENERAL", ["channel_name"] = "general", ["user_id"] = "U0ADA",
                ["user_name"] = "ada", ["command"] = "/incident", ["text"] = text, ["api_app_id"] = "A0TEST",
                ["response_url"] = responseUrl, ["trigger_id"] = triggerId,
            }.Select(kv => $"{Uri.EscapeDataString(kv.Key)}={Uri.EscapeDataString(kv.Value)}"));
            var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString();
            var request = new HttpRequestMessage(HttpMethod.Post, Url + "/slack/commands")
            {
                Content = new StringContent(body, Encoding.UTF8, "application/x-www-form-urlencoded"),
            };
            request.Headers.Add("X-Slack-Request-Timestamp", timestamp);
            request.Headers.Add(SlackSignatureVerifier.SignatureHeader, SlackSignatureVerifier.Sign(Secret, timestamp, Encoding.UTF8.GetBytes(body)));
            return request;
        }

        public async ValueTask DisposeAsync()
        {
            if (!Process.HasExited) Process.Kill(entireProcessTree: true);
            await Process.WaitForExitAsync();
            Process.Dispose();
        }
    }

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
        using (var kill = Process.Start("kill", ["-TERM", bot.Process.Id.ToString()])) await kill.WaitForExitAsync();

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
