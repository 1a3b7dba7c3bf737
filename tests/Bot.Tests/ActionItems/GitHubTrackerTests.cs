using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Bot.ActionItems;
using Bot.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using static Bot.Tests.ActionItems.ActionItemsWorld;

namespace Bot.Tests.ActionItems;

/// <summary>"Create issue" against a fake GitHub REST API on loopback, with the token from configuration.</summary>
public sealed class GitHubTrackerTests(ActionItemsWorld world) : IClassFixture<ActionItemsWorld>
{
    private const string Token = "ghp_test_token_never_logged_123";

    [Fact]
    public async Task CreateIssue_OpensOneIssueWithTheToken_StoresItsUrl_AndNeverLogsTheToken()
    {
        await using var github = await FakeGitHub.StartAsync(Token);
        var logs = new CapturingLogs();
        // A Hangfire schema of its own: the world's app (no GitHub settings) must not take its jobs.
        await using var app = await world.StartApp(null, new Dictionary<string, string?>
        {
            ["Bot:ActionItems:GitHub:Repository"] = "acme/ops",
            ["Bot:ActionItems:GitHub:Token"] = Token,
            ["Bot:ActionItems:GitHub:ApiUrl"] = github.Url,
            ["Logging:LogLevel:Default"] = "Trace",
        }, b => b.Logging.AddProvider(logs));
        var driver = world.Slack.OverHttp(app.BaseAddress.ToString(), BotApp.SigningSecret, world.Clock);
        var owner = world.NewOwner("Etc/UTC");
        world.At(world.Next(DayOfWeek.Thursday).AddHours(9));
        var added = await driver.SlashCommand("/postmortem", $"action Add retries to the &lt;payments&gt; client {Mention(owner)} due fri", Ada, world.Incident.ChannelId);
        Assert.Equal("in_channel", added.Body!["response_type"]!.ToString());
        var id = await Scalar<long>(world.ConnectionString, "select max(id) from action_items");

        var list = await driver.SlashCommand("/postmortem", "actions", owner, world.Incident.ChannelId);
        Assert.Contains(ActionItemBlocks.CreateIssue, list.Body!["blocks"]!.ToJsonString());

        var bystander = await world.ClickInReply(Cat, ActionItemBlocks.CreateIssue, $"{id}:1", driver);
        Assert.Contains("only the item", await world.Answer(bystander, "Sorry"));

        var click = await world.ClickInReply(owner, ActionItemBlocks.CreateIssue, $"{id}:1", driver);
        var answer = await world.Answer(click, "Opened");
        Assert.Contains("https://github.com/acme/ops/issues/1", answer);
        var request = Assert.Single(github.Requests);
        Assert.Equal(("acme", "ops"), (request.Owner, request.Repo));
        Assert.Equal($"Bearer {Token}", request.Authorization);
        Assert.Equal("application/vnd.github+json", request.Accept);
        Assert.Equal("2022-11-28", request.ApiVersion);
        Assert.False(string.IsNullOrEmpty(request.UserAgent));
        Assert.Equal("Add retries to the <payments> client", request.Body["title"]!.ToString());
        Assert.Contains($"incident #", request.Body["body"]!.ToString());
        Assert.Contains("Due: ", request.Body["body"]!.ToString());
        Assert.Equal("https://github.com/acme/ops/issues/1", await Scalar<string>(world.ConnectionString,
            "select issue_url from action_items where id = @id", new { id }));

        var again = await world.ClickInReply(owner, ActionItemBlocks.CreateIssue, $"{id}:1", driver);
        Assert.Contains("issues/1", await world.Answer(again, "has an issue already"));
        Assert.Single(github.Requests);
        Assert.NotEmpty(logs.Lines);
        Assert.DoesNotContain(logs.Lines, l => l.Contains(Token, StringComparison.Ordinal));
    }

    [Fact]
    public async Task CreateIssue_WhenGitHubFails_SaysSo_AndAllowsATryAgain()
    {
        await using var github = await FakeGitHub.StartAsync(Token);
        // A Hangfire schema of its own: the world's app (no GitHub settings) must not take its jobs.
        await using var app = await world.StartApp(null, new Dictionary<string, string?>
        {
            ["Bot:ActionItems:GitHub:Repository"] = "acme/ops",
            ["Bot:ActionItems:GitHub:Token"] = Token,
            ["Bot:ActionItems:GitHub:ApiUrl"] = github.Url,
        });
        var driver = world.Slack.OverHttp(app.BaseAddress.ToString(), BotApp.SigningSecret, world.Clock);
        world.At(world.Next(DayOfWeek.Friday).AddHours(9));
        await driver.SlashCommand("/postmortem", $"action FAIL on purpose {Mention(Ada)}", Ada, world.Incident.ChannelId);
        var id = await Scalar<long>(world.ConnectionString, "select max(id) from action_items");

        var click = await world.ClickInReply(Ada, ActionItemBlocks.CreateIssue, $"{id}:1", driver);
        var failed = await world.Answer(click, "could not be created");
        Assert.True(failed.Contains("GitHub answered 500: Server Error"), failed);
        Assert.Null(await Scalar<string?>(world.ConnectionString, "select issue_url from action_items where id = @id", new { id }));
        Assert.Null(await Scalar<DateTime?>(world.ConnectionString, "select issue_claimed_at from action_items where id = @id", new { id }));
    }

    private sealed class CapturingLogs : ILoggerProvider
    {
        public ConcurrentQueue<string> Lines { get; } = new();
        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);
        public void Dispose() { }

        private sealed class Logger(CapturingLogs owner, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
            public bool IsEnabled(LogLevel logLevel) => true;
            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                owner.Lines.Enqueue($"{category}: {formatter(state, exception)} {exception}");
        }
    }
}
