using System.Diagnostics;
using Bot.Slack.Testing;
using Bot.Tests.Infrastructure;
using Dapper;
using Xunit.Abstractions;
using static Bot.Tests.Postmortems.PostmortemWorld;

namespace Bot.Tests.Operations;

/// <summary>SIGTERM while a Hangfire job is running, in the real executable on a real database (docs/operations.md,
/// "Stopping"): a job that finishes within the stop timeout is waited for; one that does not is cancelled, exits with
/// the process, goes back to its queue at once and runs again after a restart, its effects once.</summary>
public sealed class ShutdownJobTests(ITestOutputHelper output)
{
    private const string Job = "OpenIncidentChannelJob";

    private static async Task<(FakeSlack Slack, Dictionary<string, string> Env, string Db)> Start(string name, string token, TimeSpan stopTimeout)
    {
        var slack = await FakeSlack.StartAsync(new FakeSlackOptions { BotToken = token });
        slack.AddUser("U0ADA", "ada", "Ada Lovelace", "Ada");
        var db = await PostgresServer.Instance.CreateDatabase(name);
        return (slack, new Dictionary<string, string>
        {
            ["SLACK_BOT_TOKEN"] = token,
            ["SLACK_API_URL"] = slack.ApiUrl,
            ["ConnectionStrings__Bot"] = db,
            ["Bot__Shutdown__Timeout"] = stopTimeout.ToString("c"),
        }, db);
    }

    private static async Task Command(RunningBot bot, FakeSlack slack, string text)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var reply = await http.SendAsync(bot.SignedCommand(text, slack.NewTriggerId(), slack.ResponseUrl()));
        Assert.Equal(200, (int)reply.StatusCode);
    }

    /// <summary>Sends SIGTERM and waits for the exit; the time from the signal to the exit.</summary>
    private static async Task<TimeSpan> Stop(RunningBot bot)
    {
        var clock = Stopwatch.StartNew();
        await bot.Terminate();
        using var exit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await bot.Process.WaitForExitAsync(exit.Token);
        return clock.Elapsed;
    }

    private static Task<string?> JobStates(string db) =>
        Scalar<string?>(db, $"select string_agg(distinct statename, ',') from hangfire.job where invocationdata::text like '%{Job}%'");

    private static async Task<(string ChannelId, string Name)> Opened(string db) =>
        await Poll.Until(async () =>
        {
            await using var c = await Open(db);
            return await c.QuerySingleOrDefaultAsync<(string, string)?>(
                "select channel_id, channel_created_name from incidents where reporter_told_at is not null");
        }, r => r is not null, TimeSpan.FromSeconds(60), "the incident to be opened") ?? default;

    /// <summary>One channel of that name, one kickoff in it, pinned once.</summary>
    private static void OpenedOnce(FakeSlack slack, (string ChannelId, string Name) incident)
    {
        Assert.Single(slack.Channels, c => c.Name == incident.Name);
        Assert.Single(slack.Messages(incident.ChannelId), m => m.BotId is not null && m.Subtype is null && !m.IsReply);
        Assert.Single(slack.CallsTo("pins.add"), c => c.Ok && c.Arg("channel") == incident.ChannelId);
    }

    [Fact]
    public async Task Sigterm_WhileAJobWaitsOnSlack_ShorterThanTheStopTimeout_TheJobFinishes_AndTheProcessExits0()
    {
        var stopTimeout = TimeSpan.FromSeconds(15); // Hangfire's StopTimeout is then 10 s
        var (slack, env, db) = await Start("shutdown_finish", "xoxb-finish", stopTimeout);
        await using var _ = slack;
        await using var bot = new RunningBot(env);
        await bot.Listening();
        // The channel job's topic step waits 2 s on Slack.
        slack.FailNext("conversations.setTopic", Failure.Delay(TimeSpan.FromSeconds(2)));
        await Command(bot, slack, "new Checkout finishes late");

        // The channel is made and the reporter invited; the topic call is in flight (it is recorded once answered).
        await Poll.Until(() => Task.FromResult(slack.CallsTo("conversations.invite").Count(c => c.Ok)), n => n >= 1,
            TimeSpan.FromSeconds(30), "the channel job to reach the topic step");
        Assert.Empty(slack.CallsTo("conversations.setTopic"));
        Assert.Equal("Processing", await JobStates(db));
        var stopped = await Stop(bot);
        output.WriteLine($"exit {stopped.TotalSeconds:0.0} s after SIGTERM (stop timeout {stopTimeout.TotalSeconds:0} s)");

        Assert.Equal(0, bot.Process.ExitCode);
        Assert.True(stopped < stopTimeout, $"exited {stopped.TotalSeconds:0.0} s after SIGTERM");
        Assert.Contains("Application is shutting down", bot.All);
        // The delayed call was answered, not given up on (499), and the job ran to its end before the exit.
        Assert.Equal(200, Assert.Single(slack.CallsTo("conversations.setTopic")).HttpStatus);
        Assert.Equal("Succeeded", await JobStates(db));
        OpenedOnce(slack, await Opened(db));
    }

    [Fact]
    public async Task Sigterm_WhileAJobHangsPastTheStopTimeout_TheProcessExitsAnyway_TheJobIsRequeuedAtOnce_AndARestartFinishesItOnce()
    {
        var stopTimeout = TimeSpan.FromSeconds(3);
        var (slack, env, db) = await Start("shutdown_requeue", "xoxb-requeue", stopTimeout);
        await using var _ = slack;
        // Slack creates the channel, then its answer hangs for a minute: the job cannot finish before the stop timeout.
        slack.StartOutage(Failure.AppliedThen(Failure.Delay(TimeSpan.FromSeconds(60))), calls: 1, methods: "conversations.create");
        TimeSpan stopped;
        await using (var first = new RunningBot(env))
        {
            await first.Listening();
            await Command(first, slack, "new Payments hang on stop");
            await Poll.Until(() => Task.FromResult(slack.Channels.Count(c => c.Name?.Contains("payments-hang-on-stop") == true)), n => n == 1,
                TimeSpan.FromSeconds(30), "Slack to create the channel");
            Assert.Equal("Processing", await JobStates(db));
            stopped = await Stop(first);
            output.WriteLine($"exit {stopped.TotalSeconds:0.0} s after SIGTERM (stop timeout {stopTimeout.TotalSeconds:0} s)");
            Assert.Equal(0, first.Process.ExitCode);
            Assert.Contains("Application is shutting down", first.All);
        }
        // Hangfire cancels the job's token after half the 3 s, the host gives up after 3 s; the rest is the runtime's exit.
        Assert.True(stopped < stopTimeout + TimeSpan.FromSeconds(4), $"exited {stopped.TotalSeconds:0.0} s after SIGTERM");

        // Requeued at once, not left fetched for the 5-minute invisibility timeout: no server holds it.
        await using (var c = await Open(db))
        {
            var queued = (await c.QueryAsync<DateTime?>($"""
                select q.fetchedat from hangfire.jobqueue q join hangfire.job j on j.id = q.jobid
                where j.invocationdata::text like '%{Job}%'
                """)).ToList();
            Assert.Null(Assert.Single(queued));
            Assert.Null(await c.ExecuteScalarAsync<string?>("select reporter_told_at::text from incidents"));
        }

        await using (var second = new RunningBot(env))
        {
            await second.Listening();
            var incident = await Opened(db);
            await Poll.Until(() => JobStates(db), s => s == "Succeeded", TimeSpan.FromSeconds(30), "the requeued job to succeed");

            // The rerun asked for the same name, was told name_taken, and adopted the channel the first run's call made.
            var creates = slack.CallsTo("conversations.create");
            Assert.Equal(2, creates.Count);
            Assert.Equal("name_taken", creates[1].Error);
            Assert.Equal(creates[0].Response!["channel"]!["id"]!.ToString(), incident.ChannelId);
            OpenedOnce(slack, incident);
            Assert.Contains(second.Output, l => l.Contains("adopted #", StringComparison.Ordinal));
        }
    }
}
