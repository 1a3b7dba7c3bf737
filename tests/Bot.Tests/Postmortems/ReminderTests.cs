using Bot.Slack.Testing;
using Bot.Slack.WebApi;
using Bot.Tests.Infrastructure;
using Dapper;
using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.DependencyInjection;
using static Bot.Tests.Postmortems.PostmortemWorld;

namespace Bot.Tests.Postmortems;

/// <summary>The day-before reminder as a real Hangfire.PostgreSql job: a meeting set 24 h and a few seconds ahead
/// makes the reminder due a few seconds from now.</summary>
public sealed class ReminderTests(PostmortemWorld world) : IClassFixture<PostmortemWorld>
{
    private static readonly string[] Everyone = [Ada, Bob, Cat];
    private const string DayBefore = "Tomorrow:";

    private static string SoonAfterADay(int seconds) => Iso(DateTimeOffset.UtcNow.AddHours(24).AddSeconds(seconds));

    private async Task WaitForReminders(Incident incident, IEnumerable<string> users, TimeSpan? timeout = null)
    {
        foreach (var user in users)
            await Poll.Until(() => Task.FromResult(world.Dms(user, incident.Title).Count(m => m.Text!.Contains(DayBefore))), n => n >= 1,
                timeout ?? TimeSpan.FromSeconds(30), $"{user}'s day-before reminder");
    }

    private async Task WaitForInvites(Incident incident, int version)
    {
        await Poll.Until(() => Scalar<long>(incident.Connection,
                "select count(*) from postmortem_sends where incident_id = @Id and version = @version and kind = 'invite_ics' and sent_at is not null",
                new { incident.Id, version }),
            n => n == Everyone.Length, TimeSpan.FromSeconds(30), "the invites");
    }

    private int Reminders(Incident incident, string user) => world.Dms(user, incident.Title).Count(m => m.Text!.Contains(DayBefore));

    [Fact]
    public async Task DayBeforeReminder_ArrivesOnceForEachAttendee_WithTimeChannelAndBlamelessNote()
    {
        var incident = await world.Resolved(world.App, world.ConnectionString, "Remind");
        var reply = await world.Command(world.App, "/postmortem", $"schedule {SoonAfterADay(4)}", Ada, incident.ChannelId, incident.Team);
        Assert.Equal("in_channel", reply.ResponseType);

        await WaitForReminders(incident, Everyone);
        foreach (var user in Everyone)
        {
            var reminder = Assert.Single(world.Dms(user, incident.Title), m => m.Text!.Contains(DayBefore));
            var blocks = BlocksText(reminder);
            Assert.Contains($"<#{incident.ChannelId}>", blocks);
            Assert.Contains("blameless", blocks);
            Assert.Contains("/postmortem preview", blocks);
        }
        Assert.Contains("(America/New_York)", Assert.Single(world.Dms(Bob, incident.Title), m => m.Text!.Contains(DayBefore)).Text);
        Assert.DoesNotContain(world.Dms(Ada, incident.Title), m => m.Text!.Contains("Coming up"));
    }

    [Fact]
    public async Task LessThanADayAhead_ComingUpInsteadOfDayBefore()
    {
        var incident = await world.Resolved(world.App, world.ConnectionString, "Soon");
        await world.Command(world.App, "/postmortem", $"schedule {Iso(DateTimeOffset.UtcNow.AddHours(3))}", Ada, incident.ChannelId, incident.Team);
        foreach (var user in Everyone)
            await Poll.Until(() => Task.FromResult(world.Dms(user, incident.Title).Count(m => m.Text!.Contains("Coming up"))), n => n == 1,
                TimeSpan.FromSeconds(30), $"{user}'s coming-up note");
        Assert.All(Everyone, u => Assert.Equal(0, Reminders(incident, u)));
    }

    [Fact]
    public async Task Reschedule_SendsOnlyTheNewReminder_AndDeletesTheOldJobs()
    {
        var incident = await world.Resolved(world.App, world.ConnectionString, "Moved");
        await world.Command(world.App, "/postmortem", $"schedule {SoonAfterADay(3)}", Ada, incident.ChannelId, incident.Team);
        var oldJobs = await Scalar<string[]>(world.ConnectionString, "select job_ids from postmortem_meetings where incident_id = @Id", new { incident.Id });
        var moved = await world.Command(world.App, "/postmortem", $"reschedule {SoonAfterADay(8)}", Ada, incident.ChannelId, incident.Team);
        Assert.Contains("moved to", moved.Text);

        using (var storage = world.App.Services.GetRequiredService<JobStorage>().GetConnection())
            Assert.All(oldJobs, id => Assert.Equal("Deleted", storage.GetStateData(id)?.Name));

        await WaitForReminders(incident, Everyone);
        Assert.All(Everyone, u => Assert.Equal(1, Reminders(incident, u)));
        var versions = await Scalar<int[]>(world.ConnectionString,
            "select array_agg(distinct version) from postmortem_sends where incident_id = @Id and kind = 'day_before'", new { incident.Id });
        Assert.Equal(new[] { 2 }, versions);
    }

    [Fact]
    public async Task Cancel_SendsNoReminder_AndACancellationIcs()
    {
        var incident = await world.Resolved(world.App, world.ConnectionString, "Cancelled");
        var due = DateTimeOffset.UtcNow.AddSeconds(10);
        await world.Command(world.App, "/postmortem", $"schedule {Iso(due.AddHours(24))}", Ada, incident.ChannelId, incident.Team);
        await WaitForInvites(incident, 1);
        var cancel = await world.Command(world.App, "/postmortem", "cancel", Ada, incident.ChannelId, incident.Team);
        Assert.Contains("cancelled", cancel.Text);
        Assert.True(DateTimeOffset.UtcNow < due, "cancelled before the reminder was due");

        foreach (var user in Everyone)
        {
            var ics = await Poll.Until(() => Task.FromResult(world.IcsFiles(user, "METHOD:CANCEL")
                    .Where(t => t.Contains("SEQUENCE:2")).ToList()), l => l.Count == 1, TimeSpan.FromSeconds(30), $"{user}'s cancellation");
            Assert.Contains("STATUS:CANCELLED", ics[0]);
        }
        // Absence can only be shown by letting the old due time pass.
        var wait = due.AddSeconds(3) - DateTimeOffset.UtcNow;
        if (wait > TimeSpan.Zero) await Task.Delay(wait);
        Assert.All(Everyone, u => Assert.Equal(0, Reminders(incident, u)));
    }

    [Fact]
    public async Task Uninvited_GetsACancellation_AndNoReminder_OthersStillDo()
    {
        var incident = await world.Resolved(world.App, world.ConnectionString, "Uninvite");
        await world.Command(world.App, "/postmortem", $"schedule {SoonAfterADay(10)}", Ada, incident.ChannelId, incident.Team);
        await WaitForInvites(incident, 1);
        var reply = await world.Command(world.App, "/postmortem", "uninvite <@U0CAT|cat>", Ada, incident.ChannelId, incident.Team);
        Assert.Contains("No longer invited", reply.Text);

        var ics = await Poll.Until(() => Task.FromResult(world.IcsFiles(Cat, "METHOD:CANCEL").Where(t => t.Contains("Uninvite")).ToList()),
            l => l.Count == 1, TimeSpan.FromSeconds(20), "Cat's cancellation");
        Assert.Contains("SEQUENCE:1", ics[0]);
        Assert.Contains(world.Dms(Cat, incident.Title), m => m.Text!.Contains("no longer invited"));
        await WaitForReminders(incident, [Ada, Bob]);
        Assert.Equal(0, Reminders(incident, Cat));
    }

    [Fact]
    public async Task PrepNudge_ListsEmptyRequiredSections_AndStartPost_HasAgendaAndRoles_EachOnce()
    {
        var incident = await world.Resolved(world.App, world.ConnectionString, "Nudge");
        await world.Command(world.App, "/postmortem", "moderator <@U0BOB|bob>", Ada, incident.ChannelId, incident.Team);
        await world.Command(world.App, "/postmortem", "notetaker <@U0CAT|cat>", Ada, incident.ChannelId, incident.Team);
        await world.Command(world.App, "/postmortem", $"schedule {SoonAfterADay(600)}", Ada, incident.ChannelId, incident.Team);
        // Written by hand, nothing marked in the channel: filled all the same.
        using (var edit = world.App.Services.CreateScope())
            Assert.True(await edit.ServiceProvider.GetRequiredService<Bot.Documents.SectionEditStore>()
                .Save(incident.Id, Bot.Timeline.Sections.Remediation, "Failed over to the replica.", Ada, CancellationToken.None));

        // The jobs as Hangfire would run them at their time (and a second time, as Hangfire may).
        for (var run = 0; run < 2; run++)
        {
            using var scope = world.App.Services.CreateScope();
            await scope.ServiceProvider.GetRequiredService<Bot.Postmortems.Reminders.PrepNudgeJob>().Run(incident.Id, 1, 4, CancellationToken.None);
            await scope.ServiceProvider.GetRequiredService<Bot.Postmortems.Reminders.MeetingStartJob>().Run(incident.Id, 1, CancellationToken.None);
            // A job planned for an older version sends nothing.
            await scope.ServiceProvider.GetRequiredService<Bot.Postmortems.Reminders.PrepNudgeJob>().Run(incident.Id, 0, 48, CancellationToken.None);
        }

        var nudge = Assert.Single(world.Dms(Ada, incident.Title), m => m.Text!.Contains("still empty"));
        Assert.Contains("still empty: Contributing factors.", nudge.Text);
        Assert.DoesNotContain("Symptoms", nudge.Text);
        Assert.DoesNotContain("Remediation", nudge.Text);
        Assert.DoesNotContain(world.Dms(Bob, incident.Title), m => m.Text!.Contains("still empty"));
        var start = Assert.Single(world.Slack.Messages(incident.ChannelId), m => m.Text!.Contains("starts now"));
        var blocks = BlocksText(start);
        Assert.Contains("Moderator: <@U0BOB> · Notetaker: <@U0CAT>", blocks);
        Assert.Contains("2. Symptoms (1)", blocks);
        Assert.Contains("Contributing factors _(empty)_", blocks);
        Assert.Contains("Remediation (written)", blocks);
    }

    [Fact]
    public async Task PrepNudge_ListsUnansweredQuestions_EvenWhenEverySectionIsFilled_AndNothingOnceAnswered()
    {
        var incident = await world.Resolved(world.App, world.ConnectionString, "Asked");
        await world.Command(world.App, "/postmortem", $"schedule {SoonAfterADay(600)}", Ada, incident.ChannelId, incident.Team);
        using (var edit = world.App.Services.CreateScope())
            foreach (var key in new[] { Bot.Timeline.Sections.Remediation, Bot.Timeline.Sections.Hypothesis })
                await edit.ServiceProvider.GetRequiredService<Bot.Documents.SectionEditStore>().Save(incident.Id, key, "Written.", Ada, CancellationToken.None);
        await world.Command(world.App, "/postmortem", "question Why did the <!here> failover lag?", Ada, incident.ChannelId, incident.Team);
        await world.Command(world.App, "/postmortem", "question Who owns the runbook?", Ada, incident.ChannelId, incident.Team);
        await world.Command(world.App, "/postmortem", "answer 2 The SRE team.", Ada, incident.ChannelId, incident.Team);

        for (var run = 0; run < 2; run++)
        {
            using var scope = world.App.Services.CreateScope();
            await scope.ServiceProvider.GetRequiredService<Bot.Postmortems.Reminders.PrepNudgeJob>().Run(incident.Id, 1, 48, CancellationToken.None);
        }
        var nudge = Assert.Single(world.Dms(Ada, incident.Title), m => m.Text!.Contains("unanswered"));
        Assert.Contains("and 1 question is unanswered.", nudge.Text);
        Assert.DoesNotContain("still empty", nudge.Text);
        var blocks = BlocksText(nudge);
        Assert.Contains("*1.* Why did the @here failover lag?", blocks);
        Assert.DoesNotContain("<!here>", blocks);
        Assert.DoesNotContain("Who owns the runbook", blocks);
        Assert.Contains(Bot.Documents.AnswerQuestionButton.ActionId, blocks);
        Assert.Contains("/postmortem answer <n> <text>", blocks);

        // Answered before the 4 h nudge: nothing left to nudge about.
        await world.Command(world.App, "/postmortem", "answer 1 Replication lag.", Ada, incident.ChannelId, incident.Team);
        using (var scope = world.App.Services.CreateScope())
            await scope.ServiceProvider.GetRequiredService<Bot.Postmortems.Reminders.PrepNudgeJob>().Run(incident.Id, 1, 4, CancellationToken.None);
        Assert.Single(world.Dms(Ada, incident.Title), m => m.Text!.Contains("unanswered"));
    }

    [Fact]
    public async Task AppRestartedBeforeDueTime_StillSendsOnce()
    {
        var database = await PostgresServer.Instance.CreateDatabase("pmrestart");
        const string schema = "hangfire_restart";
        Incident incident;
        await using (var first = await world.StartApp(database, schema))
        {
            incident = await world.Resolved(first, database, "Restart");
            await world.Command(first, "/postmortem", $"schedule {SoonAfterADay(8)}", Ada, incident.ChannelId, incident.Team);
            await WaitForInvites(incident, 1);
        }
        Assert.All(Everyone, u => Assert.Equal(0, Reminders(incident, u)));

        await using var second = await world.StartApp(database, schema);
        await WaitForReminders(incident, Everyone);
        Assert.All(Everyone, u => Assert.Equal(1, Reminders(incident, u)));
    }

    [Fact]
    public async Task TwoInstancesOnOneDatabase_SendOnce()
    {
        var database = await PostgresServer.Instance.CreateDatabase("pmtwo");
        const string schema = "hangfire_two";
        await using var a = await world.StartApp(database, schema);
        await using var b = await world.StartApp(database, schema);
        var incident = await world.Resolved(a, database, "Twice");
        await world.Command(b, "/postmortem", $"schedule {SoonAfterADay(4)}", Ada, incident.ChannelId, incident.Team);

        await WaitForReminders(incident, Everyone);
        // Both servers poll the same schedule; give the slower one time to act before counting.
        await Poll.Until(() => Scalar<long>(database,
            $"select count(*) from {schema}.job j where j.statename = 'Succeeded' and j.invocationdata::text like '%MeetingReminderJob%'"), n => n == 1,
            TimeSpan.FromSeconds(10), "the reminder job to succeed");
        Assert.All(Everyone, u => Assert.Equal(1, Reminders(incident, u)));
        Assert.Equal(2L, await Scalar<long>(database, $"select count(*) from {schema}.server"));
    }

    [Fact]
    public async Task RateLimitedDuringReminder_IsRetriedByHangfire_AndArrivesOnce()
    {
        var database = await PostgresServer.Instance.CreateDatabase("pm429");
        // No retries inside the Slack client: the 429 fails the job, and Hangfire's retry must deliver.
        await using var app = await world.StartApp(database, configure: b =>
            b.Services.Configure<SlackWebApiOptions>(o => o.MaxRateLimitedRetries = 0));
        var incident = await world.Resolved(app, database, "Limited");
        await world.Command(app, "/postmortem", $"schedule {SoonAfterADay(5)}", Ada, incident.ChannelId, incident.Team);
        await WaitForInvites(incident, 1);
        var before = world.Slack.CallsTo("chat.postMessage").Count(c => c.HttpStatus == 429);
        world.Slack.FailNext("chat.postMessage", 1, Failure.RateLimited(1));

        await WaitForReminders(incident, Everyone, TimeSpan.FromSeconds(40));
        Assert.Equal(before + 1, world.Slack.CallsTo("chat.postMessage").Count(c => c.HttpStatus == 429));
        Assert.All(Everyone, u => Assert.Equal(1, Reminders(incident, u)));
        Assert.True(await Scalar<long>(database, $"""
            select count(*) from {app.HangfireSchema}.state s join {app.HangfireSchema}.job j on j.id = s.jobid
            where j.invocationdata::text like '%MeetingReminderJob%' and s.reason like 'Retry attempt%'
            """) >= 1, "the reminder job was retried by Hangfire");
    }
}
