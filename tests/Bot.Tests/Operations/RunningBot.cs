using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Bot.Slack.Signing;
using Bot.Tests.Infrastructure;

namespace Bot.Tests.Operations;

/// <summary>The real bot executable as a child process, as an operator runs it, its console lines collected.</summary>
internal sealed class RunningBot : IAsyncDisposable
{
    public const string Secret = "sig-secret-do-not-log";

    public readonly ConcurrentQueue<string> Output = new();
    public Process Process { get; }
    public string Url { get; private set; } = "";

    public RunningBot(IDictionary<string, string> env) =>
        Process = BotExecutable.Start(new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
            ["SLACK_SIGNING_SECRET"] = Secret,
        }.Concat(env), Output);

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

    /// <summary>SIGTERM, as an orchestrator stops a container (Ctrl+C is SIGINT, handled the same).</summary>
    public async Task Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", Process.Id.ToString()])!;
        await kill.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!Process.HasExited) Process.Kill(entireProcessTree: true);
        await Process.WaitForExitAsync();
        Process.Dispose();
    }
}
