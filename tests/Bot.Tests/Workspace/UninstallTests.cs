using System.Text.Json.Nodes;
using Bot.ActionItems.Chasing;
using Bot.Tests.Infrastructure;
using Bot.Tests.Publishing;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using static Bot.Tests.Postmortems.PostmortemWorld;

namespace Bot.Tests.Workspace;

/// <summary>The workspace removes the app (app_uninstalled, tokens_revoked) or Slack starts refusing the token: the
/// workspace's jobs are parked without calling Slack or spending retries, recurring runs are skipped, the data stays,
/// and a reinstall (a restart whose auth.test works, or an event once the token works again) runs each parked job
/// once. End to end: real HTTP in, PostgreSQL, Hangfire, the fake Slack.</summary>
public sealed class UninstallTests : IAsyncLifetime
{
    // Announcement (post + file), incident channel (post + file), Pam and Dan (DM + file each), one email.
    private const int AllSteps = 9;
    private readonly PublishWorld _world = new();

    public Task InitializeAsync() => _world.InitializeAsync();
    public Task DisposeAsync() => _world.DisposeAsync();

    private BotApp App => _world.App;
    private string Db => _world.ConnectionString;
    private Bot.Slack.Testing.SlackAppDriver Driver => _world.Slack.OverHttp(App.BaseAddress.ToString(), BotApp.SigningSecret);

    private async Task<(string State, string Reason)?> StateRow()
    {
        await using var c = await Open(Db);
        return await Dapper.SqlMapper.QuerySingleOrDefaultAsync<(string, string)?>(c,
            "select state, reason from workspace_states where team_id = @team", new { team = _world.Slack.TeamId });
    }

    private Task<long> PublishJobs(string states) => Scalar<long>(Db, $"""
        select count(*) from {App.HangfireSchema}.job where invocationdata::text like '%Bot.Publishing.Publish%' and statename in ({states})
        """);

    private Task<long> StepsSent(Incident incident) => Scalar<long>(Db,
        "select count(*) from postmortem_sends where incident_id = @Id and kind like 'publish%' and sent_at is not null", new { incident.Id });

    /// <summary>Every state a publish job of this app has been in, across all of them.</summary>
    private async Task<IReadOnlyList<string>> PublishJobHistory()
    {
        await using var c = await Open(Db);
        return (await Dapper.SqlMapper.QueryAsync<string>(c, $"""
            select s.name from {App.HangfireSchema}.state s join {App.HangfireSchema}.job j on j.id = s.jobid
            where j.invocationdata::text like '%Bot.Publishing.Publish%'
            """)).ToList();
    }

    private Task<long> RetryCounts() => Scalar<long>(Db, $"""
        select count(*) from {App.HangfireSchema}.jobparameter p join {App.HangfireSchema}.job j on j.id = p.jobid
        where j.invocationdata::text like '%Bot.Publishing.Publish%' and p.name = 'RetryCount'
        """);

    /// <summary>Nothing queued, running or waiting for a retry: whatever calls Slack after this was caused by the test.</summary>
    private async Task Quiet()
    {
        await Poll.Until(() => Scalar<long>(Db, $"""
            select count(*) from {App.HangfireSchema}.job where statename in ('Enqueued', 'Processing', 'Scheduled', 'Awaiting')
            """), n => n == 0, TimeSpan.FromSeconds(30), "the jobs of the resolve to finish");
        await Poll.Until(() => Task.FromResult(App.Services.GetRequiredService<Bot.Timeline.BotIdentity>().Current), me => me is not null,
            TimeSpan.FromSeconds(10), "auth.test at startup");
    }

    /// <summary>Slack calls that post or upload something, after the first <paramref name="skip"/> calls.</summary>
    private IReadOnlyList<string> Posts(int skip) =>
        _world.Slack.Calls.Skip(skip).Where(c => c.Method.StartsWith("chat.", StringComparison.Ordinal) || c.Method.StartsWith("files.", StringComparison.Ordinal)
                                                 || c.Method == "conversations.open").Select(c => c.ToString()).ToList();

    [Fact]
    public async Task AppUninstalled_ParksTheJobsWithoutCallingSlack_SkipsTheChaseRun_RestartWithAuthOk_RunsEachOnce()
    {
        var incident = await _world.World.Resolved(App, Db, "Uninstalled");
        await Quiet();
        var driver = Driver;

        // Slack removes the app: the token stops working, then tokens_revoked and app_uninstalled arrive.
        _world.Slack.Uninstall();
        Assert.Equal(200, (await driver.TokensRevoked()).HttpStatus);
        Assert.Equal(200, (await driver.AppUninstalled()).HttpStatus);
        Assert.Equal(("uninstalled", "app_uninstalled"), await StateRow() is { } row ? row : default);

        var callsBefore = _world.Slack.Calls.Count;
        var published = await _world.Publish(incident, Ada, "--force");
        Assert.Contains("Published with `--force`", published.Text);

        // Four jobs (announce, channel, stakeholders, email) parked: none ran, none failed, none was retried.
        await Poll.Until(() => PublishJobs("'Parked'"), n => n == 4, TimeSpan.FromSeconds(30), "the publish jobs to be parked");
        Assert.Equal(4L, await Scalar<long>(Db, "select count(*) from workspace_parked_jobs where team_id = @team", new { team = _world.Slack.TeamId }));
        // Hangfire keeps the candidate a filter replaced (Processing) in the history; the job never ran to an end.
        Assert.Equal(["Enqueued", "Parked", "Processing"], (await PublishJobHistory()).Distinct().Order());
        Assert.Equal(0L, await RetryCounts());
        Assert.Empty(Posts(callsBefore));
        Assert.Empty(_world.Smtp.Messages);

        // The recurring chase run is skipped, not parked (the next run is its retry).
        _world.App.Services.GetRequiredService<IRecurringJobManager>().Trigger(ChaseRunJob.RecurringId);
        var skipped = await Poll.Until(() => Scalar<string?>(Db, $"""
            select s.reason from {App.HangfireSchema}.state s join {App.HangfireSchema}.job j on j.id = s.jobid
            where j.invocationdata::text like '%ChaseRunJob%' and s.name = 'Deleted' limit 1
            """), r => r is not null, TimeSpan.FromSeconds(30), "the chase run to be skipped");
        Assert.StartsWith("Skipped: Workspace T0TEST is uninstalled (app_uninstalled)", skipped);
        Assert.Equal(0L, await Scalar<long>(Db, $"""
            select count(*) from {App.HangfireSchema}.job where invocationdata::text like '%ChaseRunJob%' and statename in ('Parked', 'Failed')
            """));
        Assert.Empty(Posts(callsBefore));

        // The data is kept.
        Assert.Equal(1L, await Scalar<long>(Db, "select count(*) from postmortem_publications where incident_id = @Id", new { incident.Id }));
        Assert.True(await Scalar<long>(Db, "select count(*) from timeline_entries where incident_id = @Id", new { incident.Id }) > 0);

        // Reinstalled: the bot restarts, auth.test takes the token, each parked job runs once.
        await _world.Restart(_world.Slack.Reinstall);
        await Poll.Until(() => StepsSent(incident), n => n == AllSteps, TimeSpan.FromSeconds(60), "every publish step after the reinstall");
        await Poll.Until(() => PublishJobs("'Succeeded'"), n => n == 4, TimeSpan.FromSeconds(30), "the publish jobs to succeed");
        Assert.Equal(("installed", "auth.test accepted the token at startup"), await StateRow() is { } again ? again : default);
        Assert.Equal(0L, await Scalar<long>(Db, "select count(*) from workspace_parked_jobs"));
        Assert.Single(_world.Smtp.Messages);
        Assert.Single(_world.Slack.Messages(_world.Announce.Id), m => (m.Text ?? "").Contains(incident.Title, StringComparison.Ordinal)
                                                                       && m.Text!.StartsWith("Post-mortem of incident #", StringComparison.Ordinal));
        Assert.Equal(0L, await RetryCounts());

        // Slack retries the old app_uninstalled minutes late: it is older than the reinstall and changes nothing.
        var late = new JsonObject
        {
            ["token"] = "x", ["team_id"] = _world.Slack.TeamId, ["api_app_id"] = _world.Slack.AppId, ["type"] = "event_callback",
            ["event_id"] = "Ev0LATEUNINSTALL", ["event_time"] = DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds(),
            ["event"] = _world.Slack.AppUninstalledEvent(),
        };
        using (var reply = await App.PostEvent(late.ToJsonString(), retryNum: 2))
            Assert.Equal(200, (int)reply.StatusCode);
        Assert.Equal("installed", (await StateRow())!.Value.State);
    }

    [Fact]
    public async Task SlackRefusesTheToken_WithoutAnyEvent_TheFailingJobIsParkedNotRetried_ARestartOnceItWorks_RunsItOnce()
    {
        var incident = await _world.World.Resolved(App, Db, "Revoked quietly");
        await Quiet();
        _world.Slack.Uninstall("account_inactive");

        await _world.Publish(incident, Ada, "--force");
        // The first job's Slack call is answered account_inactive: recorded, and the job parked instead of retried; the
        // others are parked by that (or by their own refused call). The email needs no Slack and may have gone.
        await Poll.Until(() => PublishJobs("'Enqueued', 'Processing', 'Scheduled'"), n => n == 0, TimeSpan.FromSeconds(30), "the publish jobs to settle");
        Assert.True(await PublishJobs("'Parked'") >= 3);
        Assert.Equal(("revoked", "Slack answered account_inactive"), await StateRow() is { } row ? row : default);
        // The refused call's failure is in the history (the dashboard shows it), but no retry was scheduled.
        Assert.DoesNotContain("Scheduled", await PublishJobHistory());
        Assert.Equal(0L, await PublishJobs("'Failed', 'Scheduled'"));
        Assert.Equal(0L, await RetryCounts());

        // An event from the workspace while the token is still refused: auth.test says so, nothing resumes.
        var driver = Driver;
        await driver.UserMessage(incident.ChannelId, Bob, "still down?");
        await Poll.Until(async () => _world.Slack.CallsTo("auth.test").Count(c => !c.Ok), n => n >= 1, TimeSpan.FromSeconds(10), "the probe");
        Assert.Equal("revoked", (await StateRow())!.Value.State);

        // Reinstalled; the probe is throttled to once a minute, so the bot is started again to ask at once.
        await _world.Restart(_world.Slack.Reinstall);
        await Poll.Until(() => StepsSent(incident), n => n == AllSteps, TimeSpan.FromSeconds(60), "every publish step after the reinstall");
        Assert.Single(_world.Smtp.Messages);
        Assert.Equal(0L, await RetryCounts());
    }

    [Fact]
    public async Task AnEventArrivesOnceTheTokenWorksAgain_TheParkedJobsRunOnce()
    {
        var incident = await _world.World.Resolved(App, Db, "Back by event");
        await Quiet();
        _world.Slack.Uninstall();
        await Driver.AppUninstalled();
        await _world.Publish(incident, Ada, "--force");
        await Poll.Until(() => PublishJobs("'Parked'"), n => n == 4, TimeSpan.FromSeconds(30), "the publish jobs to be parked");

        _world.Slack.Reinstall();
        await Driver.UserMessage(incident.ChannelId, Bob, "we are back");
        await Poll.Until(() => StepsSent(incident), n => n == AllSteps, TimeSpan.FromSeconds(60), "every publish step after the event");
        Assert.Equal(("installed", "an event arrived and auth.test accepted the token"), await StateRow() is { } row ? row : default);
        Assert.Single(_world.Smtp.Messages);
    }

    [Fact]
    public async Task TokensRevoked_ForUserTokensOnly_ChangesNothing_ForTheBotsToken_IsRecorded()
    {
        await Quiet();
        var driver = Driver;
        await driver.TokensRevoked(oauthUsers: ["U0ADA"]);
        await driver.TokensRevoked(botUsers: ["U0SOMEOTHERBOT"]);
        Assert.Null(await StateRow());

        await driver.TokensRevoked();
        Assert.Equal(("revoked", "tokens_revoked"), await StateRow() is { } row ? row : default);
        // Delivered again (a retry): the same state.
        await driver.TokensRevoked();
        Assert.Equal(("revoked", "tokens_revoked"), await StateRow() is { } again ? again : default);
    }
}
