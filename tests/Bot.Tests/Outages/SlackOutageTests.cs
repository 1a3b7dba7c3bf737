using Bot.Slack.Testing;
using Bot.Slack.WebApi;
using Bot.Tests.Infrastructure;
using Bot.Tests.Postmortems;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;
using static Bot.Tests.Postmortems.PostmortemWorld;

namespace Bot.Tests.Outages;

/// <summary>Slack down for a while (5xx, hangs past the client's timeout, 429 with Retry-After, answers lost after Slack
/// acted): the jobs wait and finish, every effect once and in order. Hangfire's retry delays are made instant by
/// <see cref="RetryClock"/>; an outage that ends "before the third retry" is one of about a minute in production
/// (delays 5 s + 30 s + 120 s).</summary>
public sealed class SlackOutageTests(PostmortemWorld world, ITestOutputHelper output) : IClassFixture<PostmortemWorld>, IAsyncLifetime
{
    private BotApp _app = null!;
    private string _db = "";

    public async Task InitializeAsync()
    {
        _db = await PostgresServer.Instance.CreateDatabase("outages");
        _app = await world.StartApp(_db, configure: b => b.Services.Configure<SlackWebApiOptions>(o =>
        {
            o.RateLimit = false;
            // The client's own retries, shortened: what is tested is that they and Hangfire's together ride it out.
            o.InitialBackoff = TimeSpan.FromMilliseconds(20);
            o.MaxBackoff = TimeSpan.FromMilliseconds(100);
            o.RequestTimeout = TimeSpan.FromSeconds(1);
        }));
    }

    public async Task DisposeAsync()
    {
        world.Slack.EndOutage();
        await _app.DisposeAsync();
    }

    /// <summary>The run's figures, for docs/reliability.md: faults the fake injected, Hangfire retries taken, effects counted.</summary>
    private void Figures(int faults, RetryClock clock, string effects) =>
        output.WriteLine($"faults injected {faults}, Hangfire retries {clock.Retries}; {effects}");

    private static string NewTeam() => "T" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();

    private async Task<(long Id, string ChannelId, string Name, string KickoffTs)> Opened(string team) =>
        await Poll.Until(async () =>
        {
            await using var c = await Open(_db);
            return await c.QuerySingleOrDefaultAsync<(long, string, string, string)?>("""
                select id, channel_id, channel_created_name, kickoff_ts from incidents where team_id = @team and reporter_told_at is not null
                """, new { team });
        }, r => r is not null, TimeSpan.FromSeconds(60), "the incident to be opened") ?? default;

    /// <summary>Every job of the class ended Succeeded (Hangfire sets it just after the job returns: polled).</summary>
    private Task JobsSucceeded(string jobClass) => Poll.Until(() => Scalar<string>(_db,
            $"select string_agg(distinct statename, ',') from {_app.HangfireSchema}.job where invocationdata::text like '%{jobClass}%'"),
        states => states == "Succeeded", TimeSpan.FromSeconds(30), $"every {jobClass} to succeed");

    /// <summary>The incident's channel, once; its kickoff, once, pinned once; and in order: the channel before the topic,
    /// the topic before the kickoff, the kickoff before its pin.</summary>
    private void OpenedOnce((long Id, string ChannelId, string Name, string KickoffTs) incident)
    {
        Assert.Single(world.Slack.Channels, c => c.Name == incident.Name);
        var channel = world.Slack.Channel(incident.ChannelId)!;
        Assert.Single(world.Slack.Messages(incident.ChannelId), m => m.BotId is not null && m.Subtype is null && !m.IsReply);
        Assert.Equal(incident.KickoffTs, Assert.Single(channel.Pins).MessageTs);

        var calls = world.Slack.Calls;
        int First(string method, Func<RecordedCall, bool> which) => calls.ToList().FindIndex(c => c.Method == method && c.Ok && which(c));
        var created = First("conversations.create", c => c.Arg("name") == incident.Name);
        var topic = First("conversations.setTopic", c => c.Arg("channel") == incident.ChannelId);
        var kickoff = First("chat.postMessage", c => c.Arg("channel") == incident.ChannelId);
        var pinned = First("pins.add", c => c.Arg("channel") == incident.ChannelId);
        Assert.True(created >= 0 && created < topic && topic < kickoff && kickoff < pinned,
            $"out of order: create {created}, topic {topic}, kickoff {kickoff}, pin {pinned}");
        Assert.Single(calls, c => c.Method == "pins.add" && c.Ok && c.Arg("channel") == incident.ChannelId);
    }

    [Fact]
    public async Task IncidentNew_ThroughAMinuteOf500s_OpensOnce_InOrder_AndTheJobSucceeds()
    {
        var team = NewTeam();
        var faultsBefore = world.Slack.OutageFaults;
        world.Slack.StartOutage(Failure.ServerError(500));
        await using (var clock = RetryClock.Start(_app, _db, n => { if (n == 3) world.Slack.EndOutage(); }))
        {
            var reply = await world.Command(_app, "/incident", "new Outage on open sev2", Ada, world.General.Id, team);
            Assert.Equal(200, reply.Status);
            var incident = await Opened(team);

            Assert.Equal(3, clock.Retries); // the first three attempts met the outage; the fourth opened it
            var faults = world.Slack.OutageFaults - faultsBefore;
            Assert.True(faults >= 3, $"only {faults} calls failed");
            OpenedOnce(incident);
            await JobsSucceeded("OpenIncidentChannelJob");
            Figures(faults, clock, "channels 1, kickoffs 1, pins 1");
        }
    }

    [Fact]
    public async Task IncidentNew_500sOnEveryCallOnceTheChannelExists_EachStepOnce_InOrder_AndTheJobSucceeds()
    {
        var team = NewTeam();
        var faultsBefore = world.Slack.OutageFaults;
        // The channel is made; then invite, topic, history, kickoff, pin... all fail, through the client's own retries
        // and three of Hangfire's: the retries must skip what is done and do the rest once.
        world.Slack.StartOutage(Failure.ServerError(503), (method, _) => method != "conversations.create");
        await using (var clock = RetryClock.Start(_app, _db, n => { if (n == 3) world.Slack.EndOutage(); }))
        {
            await world.Command(_app, "/incident", "new Outage after create sev2", Ada, world.General.Id, team);
            var incident = await Opened(team);

            Assert.Equal(3, clock.Retries);
            var faults = world.Slack.OutageFaults - faultsBefore;
            Assert.True(faults >= 12, $"only {faults} calls failed"); // 4 tries of the client in each of 3 runs
            OpenedOnce(incident);
            Assert.Single(world.Slack.CallsTo("conversations.create"), c => c.Ok && c.Arg("name") == incident.Name);
            Assert.Single(world.Slack.CallsTo("conversations.invite"), c => c.Ok && c.Arg("channel") == incident.ChannelId);
            await JobsSucceeded("OpenIncidentChannelJob");
            Figures(faults, clock, "channels 1, reporter invites 1, kickoffs 1, pins 1");
        }
    }

    [Fact]
    public async Task IncidentNew_SlackCreatesTheChannelButTheAnswerIsLost_TheRetryAdoptsIt_NoSecondChannel()
    {
        var team = NewTeam();
        // Slack creates the channel, then the answer hangs past the client's timeout.
        world.Slack.FailNext("conversations.create", Failure.AppliedThen(Failure.Delay(TimeSpan.FromSeconds(3))));
        await using var clock = RetryClock.Start(_app, _db);
        await world.Command(_app, "/incident", "new Lost create answer sev2", Ada, world.General.Id, team);
        var incident = await Opened(team);

        var creates = world.Slack.CallsTo("conversations.create").Where(c => c.Arg("name")!.Contains("lost-create-answer")).ToList();
        Assert.True(creates[0].Lost);
        Assert.Equal("name_taken", creates[1].Error); // the retry asked for the same name, and adopted the channel
        Assert.Equal(2, creates.Count);
        Assert.Equal(creates[0].Response!["channel"]!["id"]!.ToString(), incident.ChannelId);
        OpenedOnce(incident);
        Assert.Equal(1, clock.Retries);
        await JobsSucceeded("OpenIncidentChannelJob");
        Figures(1, clock, $"conversations.create calls {creates.Count} (1 lost, 1 name_taken), channels 1, kickoffs 1, pins 1");
    }

    [Fact]
    public async Task IncidentNew_SlackPostsTheKickoffButAnswers503_TheClientFindsIt_NoSecondKickoff()
    {
        var team = NewTeam();
        world.Slack.FailNext("chat.postMessage", Failure.AppliedThen(Failure.ServerError(503)));
        await using var clock = RetryClock.Start(_app, _db);
        await world.Command(_app, "/incident", "new Lost kickoff answer sev2", Ada, world.General.Id, team);
        var incident = await Opened(team);

        var kickoffs = world.Slack.CallsTo("chat.postMessage").Where(c => c.Arg("channel") == incident.ChannelId).ToList();
        Assert.True(Assert.Single(kickoffs).Lost); // posted once; the lost answer was looked up, not posted again
        Assert.Equal(incident.KickoffTs, kickoffs[0].Response!["ts"]!.ToString());
        OpenedOnce(incident);
        Assert.Equal(0, clock.Retries);
        Figures(1, clock, "kickoff posts 1 (its answer lost, found in history), pins 1");
    }

    [Fact]
    public async Task IncidentNew_RateLimitedWithRetryAfter_TheClientWaitsIt_AndBurnsNoHangfireRetry()
    {
        var team = NewTeam();
        world.Slack.StartOutage(Failure.RateLimited(retryAfterSeconds: 1), calls: 2, methods: "conversations.create");
        await using var clock = RetryClock.Start(_app, _db);
        await world.Command(_app, "/incident", "new Rate limited open sev2", Ada, world.General.Id, team);
        var incident = await Opened(team);

        var creates = world.Slack.CallsTo("conversations.create").Where(c => c.Arg("name")!.Contains("rate-limited-open")).ToList();
        Assert.Equal([429, 429, 200], creates.Select(c => c.HttpStatus));
        // Retry-After: 1 was honoured each time (to the recorded second, less a little of the fake's rounding).
        Assert.True(creates[2].Time - creates[0].Time >= TimeSpan.FromSeconds(1.9), $"{creates[2].Time - creates[0].Time}");
        Assert.Equal(0, clock.Retries);
        OpenedOnce(incident);
        await JobsSucceeded("OpenIncidentChannelJob");
        Figures(2, clock, $"429s 2, waited {(creates[2].Time - creates[0].Time).TotalSeconds:0.0} s, channels 1");
    }

    [Fact]
    public async Task PostmortemSchedule_WhileDmsFailWith500s_EachAttendeeIsInvitedOnce_AndGetsOneCalendarFile()
    {
        var incident = await world.Resolved(_app, _db, "Outage invites");
        var faultsBefore = world.Slack.OutageFaults;
        world.Slack.StartOutage(Failure.ServerError(500), methods: ["conversations.open", "chat.postMessage", "files.getUploadURLExternal", "files.completeUploadExternal"]);
        await using var clock = RetryClock.Start(_app, _db, n => { if (n == 2) world.Slack.EndOutage(); });
        var reply = await world.Command(_app, "/postmortem", "schedule 2027-03-02 10:00", Ada, incident.ChannelId, incident.Team);
        Assert.Equal(200, reply.Status);

        await JobsDone(_app, _db, "MeetingNoticeJob");
        Assert.True(world.Slack.OutageFaults - faultsBefore > 0);
        Assert.True(clock.Retries >= 2);
        foreach (var user in new[] { Ada, Bob, Cat })
        {
            Assert.Single(world.Dms(user, incident.Title), m => m.Text!.Contains("You're invited"));
            Assert.Single(world.IcsFiles(user, incident.Title[^6..]), f => f.StartsWith("BEGIN:VCALENDAR", StringComparison.Ordinal));
        }
        await JobsSucceeded("MeetingNoticeJob");
        Figures(world.Slack.OutageFaults - faultsBefore, clock, "invite DMs 3 (1 each), calendar files 3 (1 each)");
    }

    [Fact]
    public async Task PostmortemSchedule_SlackDeliversAnInviteButTheAnswerIsLost_TheClientFindsIt_NoSecondInvite()
    {
        var incident = await world.Resolved(_app, _db, "Lost invite answer");
        // The first DM of the invites is posted by Slack, and the answer is a 503.
        world.Slack.StartOutage(Failure.AppliedThen(Failure.ServerError(503)),
            (method, args) => method == "chat.postMessage" && (args.Str("channel") ?? "").StartsWith('D'), calls: 1);
        await using var clock = RetryClock.Start(_app, _db);
        var reply = await world.Command(_app, "/postmortem", "schedule 2027-03-03 10:00", Ada, incident.ChannelId, incident.Team);
        Assert.Equal(200, reply.Status);

        await JobsDone(_app, _db, "MeetingNoticeJob");
        var lost = Assert.Single(world.Slack.CallsTo("chat.postMessage"), c => c.Lost && (c.Arg("channel") ?? "").StartsWith('D'));
        foreach (var user in new[] { Ada, Bob, Cat })
            Assert.Single(world.Dms(user, incident.Title), m => m.Text!.Contains("You're invited"));
        Assert.Contains(world.Slack.CallsTo("conversations.history"), c => c.Arg("channel") == lost.Arg("channel") && c.Ok);
        await JobsSucceeded("MeetingNoticeJob");
        Figures(1, clock, "invite DMs 3 (1 each; the lost answer was found in the DM)");
    }
}
