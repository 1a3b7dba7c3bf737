using System.Text;
using Bot.Documents;
using Bot.Slack.Testing;
using Bot.Tests.Infrastructure;
using Dapper;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using static Bot.Tests.Postmortems.PostmortemWorld;

namespace Bot.Tests.Publishing;

/// <summary>/postmortem publish end to end: real HTTP in, PostgreSQL, Hangfire, the fake Slack, a real SMTP server.</summary>
public sealed class PublishTests(PublishWorld world) : IClassFixture<PublishWorld>
{
    // Announcement (post + file), incident channel (post + file), Pam and Dan (DM + file each), one email.
    private const int AllSteps = 9;
    private const string SummaryPrefix = "Post-mortem of incident #";

    private Task<Incident> Resolved(string prefix) => world.World.Resolved(world.App, world.ConnectionString, prefix);

    private Task WaitForAllSteps(Incident incident, TimeSpan? timeout = null) =>
        Poll.Until(() => Scalar<long>(world.ConnectionString,
                "select count(*) from postmortem_sends where incident_id = @Id and kind like 'publish%' and sent_at is not null", new { incident.Id }),
            n => n == AllSteps, timeout ?? TimeSpan.FromSeconds(30), "every publish step");

    private IReadOnlyList<FakeMessage> Summaries(string channel, Incident incident) =>
        world.Slack.Messages(channel).Where(m => m.Text is { } t && t.StartsWith(SummaryPrefix, StringComparison.Ordinal) && t.EndsWith(": " + incident.Title, StringComparison.Ordinal)).ToList();

    /// <summary>The Markdown files shared into the channel for this incident, as text.</summary>
    private IReadOnlyList<string> Files(string channel, Incident incident) =>
        world.Slack.Messages(channel).SelectMany(m => m.FileIds).Select(id => world.Slack.File(id))
            .Where(f => f is { Content: not null } && f.Name.StartsWith("postmortem-", StringComparison.Ordinal) && f.Name.EndsWith(".md", StringComparison.Ordinal)
                        && (f.Title ?? "").EndsWith(incident.Title, StringComparison.Ordinal))
            .Select(f => Encoding.UTF8.GetString(f!.Content!)).ToList();

    private IReadOnlyList<SmtpSink.Received> Emails(Incident incident) =>
        world.Smtp.Messages.Where(m => (m.Message.Subject ?? "").Contains(incident.Title, StringComparison.Ordinal)).ToList();

    /// <summary>The one item, or a failure that shows what the channel holds.</summary>
    private T One<T>(IReadOnlyList<T> items, string channel) =>
        items.Count == 1 ? items[0] : throw new Xunit.Sdk.XunitException(
            $"Expected one, got {items.Count} in {channel}: " + string.Join(" | ", world.Slack.Messages(channel).Select(m => $"{m.Text} [files {string.Join(",", m.FileIds.Select(id => world.Slack.File(id)?.Name + "/" + world.Slack.File(id)?.Title))}]")));

    private IReadOnlyList<FakeMessage> PublishedDms(string user, Incident incident) =>
        world.World.Dms(user, incident.Title).Where(m => m.Text!.Contains("is published", StringComparison.Ordinal)).ToList();

    private string Dm(string user) => world.World.DmChannel(user) ?? "none";

    [Fact]
    public async Task NotReady_ListsEveryProblem_ForceByOthersRefused_ForcedByPointPerson_ReachesEveryoneOnce_AndRecordsIt()
    {
        var incident = await Resolved("Publish forced");

        var notReady = await world.Publish(incident, Ada);
        Assert.Equal("ephemeral", notReady.ResponseType);
        Assert.Contains("not ready to publish", notReady.Text);
        Assert.Contains("No post-mortem meeting is scheduled.", notReady.Text);
        Assert.Contains("The section \"Contributing factors\" is empty.", notReady.Text);
        Assert.Contains("`/postmortem publish --force`", notReady.Text);

        var refused = await world.Publish(incident, Cat, "--force");
        Assert.Equal("ephemeral", refused.ResponseType);
        Assert.Contains("only the point person (<@U0ADA>) or an admin (<@U0BOB>) can publish this post-mortem past the readiness check", refused.Text);
        Assert.Equal(0L, await Scalar<long>(world.ConnectionString, "select count(*) from postmortem_publications where incident_id = @Id", new { incident.Id }));

        var published = await world.Publish(incident, Ada, "--force");
        Assert.Contains("Published with `--force`", published.Text);
        await WaitForAllSteps(incident);
        var number = await Scalar<int>(world.ConnectionString, "select number from incidents where id = @Id", new { incident.Id });

        // The announcement: the summary, then the Markdown document as a file.
        var announce = One(Summaries(world.Announce.Id, incident), world.Announce.Id);
        Assert.Contains(":mega: *Post-mortem published:*", BlocksText(announce));
        Assert.Contains("readiness problems overridden", BlocksText(announce));
        var md = One(Files(world.Announce.Id, incident), world.Announce.Id);
        Assert.Contains(incident.Title, md);
        Assert.Contains("Checkout returns 502", md);

        // The incident channel: where it went, and what was overridden.
        var inChannel = One(Summaries(incident.ChannelId, incident), incident.ChannelId);
        var text = BlocksText(inChannel);
        Assert.Contains("is *published* by <@U0ADA>", text);
        Assert.Contains($"<#{world.Announce.Id}>", text);
        Assert.Contains("the stakeholders for sev2", text);
        Assert.Contains("No post-mortem meeting is scheduled.", text);
        One(Files(incident.ChannelId, incident), incident.ChannelId);

        // The stakeholders of sev2: Pam by id, Dan as a member of @product; nobody else.
        foreach (var user in new[] { PublishWorld.Pam, PublishWorld.Dan })
        {
            Assert.Contains("You get it as a stakeholder for sev2", BlocksText(One(PublishedDms(user, incident), Dm(user))));
            One(Files(Dm(user), incident), Dm(user));
        }
        Assert.Empty(PublishedDms(Bob, incident));
        Assert.Empty(PublishedDms(Ada, incident));

        // The email: HTML to both addresses of the list, from the configured sender, after AUTH with the password.
        var email = Assert.Single(Emails(incident));
        Assert.Equal(["eng@example.com", "postmortems@example.com"], email.Envelope.Order());
        Assert.Equal("bot@example.com", email.Message.From.Mailboxes.Single().Address);
        Assert.Equal(["eng@example.com", "postmortems@example.com"], email.Message.To.Mailboxes.Select(m => m.Address).Order());
        Assert.Equal($"Post-mortem: incident #{number} {incident.Title}", email.Message.Subject);
        Assert.Contains("<html", email.Message.HtmlBody);
        Assert.Contains(incident.Title, email.Message.HtmlBody);
        Assert.Contains("Checkout returns 502", email.Message.TextBody);
        Assert.Contains(world.Smtp.Logins, l => l == (world.Smtp.User, PublishWorld.SmtpPassword));

        // Recorded: the publication (forced, with the problems), a timeline entry, and the document says so.
        Assert.True(await Scalar<bool>(world.ConnectionString, "select forced from postmortem_publications where incident_id = @Id", new { incident.Id }));
        Assert.Equal(1L, await Scalar<long>(world.ConnectionString,
            "select count(*) from timeline_entries where incident_id = @Id and kind = 'published' and user_id = 'U0ADA'", new { incident.Id }));
        using (var scope = world.App.Services.CreateScope())
        {
            var doc = (await scope.ServiceProvider.GetRequiredService<DocumentBuilder>().Build(incident.Id, null, default))!;
            Assert.NotNull(doc.Publication);
            Assert.True(doc.Publication.Forced);
            Assert.Equal("Ada Lovelace", doc.Publication.By);
            Assert.Contains("No post-mortem meeting is scheduled.", doc.Publication.ProblemsOverridden);
        }

        // Again, plain or forced: said so, nothing enqueued, nothing sent twice.
        var jobs = await Scalar<long>(world.ConnectionString, $"select count(*) from {world.App.HangfireSchema}.job");
        foreach (var again in new[] { "", "--force" })
        {
            var reply = await world.Publish(incident, Ada, again);
            Assert.Matches(@"Already published on \d{4}-\d\d-\d\d \d\d:\d\d UTC by <@U0ADA>; nothing was sent again\.", reply.Text);
        }
        Assert.Equal(jobs, await Scalar<long>(world.ConnectionString, $"select count(*) from {world.App.HangfireSchema}.job"));
        One(Summaries(world.Announce.Id, incident), world.Announce.Id);
        One(Summaries(incident.ChannelId, incident), incident.ChannelId);
        Assert.Single(Emails(incident));
        Assert.Equal(1L, await Scalar<long>(world.ConnectionString,
            "select count(*) from timeline_entries where incident_id = @Id and kind = 'published'", new { incident.Id }));
    }

    /// <summary>Bob posts <paramref name="text"/> in the incident channel and Cat marks it with <paramref name="emoji"/>.</summary>
    private async Task Mark(Incident incident, string text, string emoji, int reactionsAfter)
    {
        var ts = $"{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}.{Random.Shared.Next(100000, 999999)}";
        await world.World.Event(world.App, new { type = "message", channel = incident.ChannelId, channel_type = "channel", user = Bob, text, ts, event_ts = ts });
        await world.World.Event(world.App, new
        {
            type = "reaction_added", user = Cat, reaction = emoji, item_user = Bob, event_ts = ts + "1",
            item = new { type = "message", channel = incident.ChannelId, ts },
        });
        await Poll.Until(() => Scalar<long>(world.ConnectionString, "select count(*) from timeline_reactions where incident_id = @Id", new { incident.Id }),
            n => n == reactionsAfter, what: $"the :{emoji}: mark");
    }

    [Fact]
    public async Task Ready_AfterTheMeeting_ThePointPersonPublishes_NotForced_OthersAreToldWhoCan()
    {
        var incident = await Resolved("Publish ready");
        await Mark(incident, "The pool size was left at its default after the migration", "bulb", 2);
        await Mark(incident, "Raised the pool size and restarted checkout", "wrench", 3);
        var start = world.Time.GetUtcNow().AddMinutes(2);
        var scheduled = await world.World.Command(world.App, "/postmortem", $"schedule {Iso(start)} for 15", Ada, incident.ChannelId, incident.Team);
        Assert.Equal("in_channel", scheduled.ResponseType);

        var early = await world.Publish(incident, Ada);
        Assert.Contains("has not been held yet", early.Text);
        Assert.DoesNotContain("is empty", early.Text);

        world.Time.Offset = TimeSpan.FromHours(1); // the meeting is over
        try
        {
            // Publishing is the point person's (docs/reliability.md): anyone else is told who can, and nothing goes out.
            var refused = await world.Publish(incident, Cat);
            Assert.Equal("ephemeral", refused.ResponseType);
            Assert.StartsWith("Sorry, only the point person (<@U0ADA>) or an admin (<@U0BOB>) can publish this post-mortem.", refused.Text);
            Assert.Equal(0L, await Scalar<long>(world.ConnectionString, "select count(*) from postmortem_publications where incident_id = @Id", new { incident.Id }));

            var reply = await world.Publish(incident, Ada);
            Assert.Equal("ephemeral", reply.ResponseType);
            Assert.StartsWith(":white_check_mark: Published. On its way to", reply.Text);
            await WaitForAllSteps(incident);
        }
        finally
        {
            world.Time.Offset = TimeSpan.Zero;
        }

        Assert.False(await Scalar<bool>(world.ConnectionString, "select forced from postmortem_publications where incident_id = @Id", new { incident.Id }));
        Assert.Equal(0, await Scalar<int>(world.ConnectionString,
            "select cardinality(problems_overridden) from postmortem_publications where incident_id = @Id", new { incident.Id }));
        var inChannel = BlocksText(One(Summaries(incident.ChannelId, incident), incident.ChannelId));
        Assert.Contains("is *published* by <@U0ADA>", inChannel);
        Assert.DoesNotContain("overridden", inChannel);
        Assert.DoesNotContain("overridden", BlocksText(One(Summaries(world.Announce.Id, incident), world.Announce.Id)));
        Assert.Contains("Raised the pool size", One(Files(world.Announce.Id, incident), world.Announce.Id));
    }

    [Fact]
    public async Task BlamingLanguage_InTheChannel_IsQuotedWithWhereItStands_AsPlainTextThatPingsNobody()
    {
        var incident = await Resolved("Publish blame");
        // As Slack delivers it: a user mention, an @channel and a literal "<b>" (Slack escapes < and > in text).
        await Mark(incident, "It broke because <@U0BOB> was careless, <!channel> &lt;b&gt;", "bulb", 2);

        var reply = await world.Publish(incident, Ada);

        Assert.Contains("Blaming language in Contributing factors (", reply.Text);
        Assert.Contains(", Bob Hope): \"It broke because @Bob Hope was careless, @channel &lt;b&gt;\" (\"careless\").", reply.Text);
        Assert.Contains("A person is named as the cause in Contributing factors", reply.Text);
        Assert.Contains("(@Bob Hope)", reply.Text);
        Assert.DoesNotContain("<!channel>", reply.Text);
        Assert.DoesNotContain("<b>", reply.Text);
        Assert.DoesNotContain("The section \"Contributing factors\" is empty", reply.Text);
    }

    [Fact]
    public async Task SlackAnswers500_TheJobIsRetried_AndEveryMessageAndFileArrivesOnce()
    {
        var incident = await Resolved("Publish retried");
        // The first post fails (nothing was sent: the retry posts it); the first upload fails after its job's post
        // went out (the retry must upload without posting again).
        world.Slack.FailNext("chat.postMessage", 1, Failure.ServerError(500));
        world.Slack.FailNext("files.completeUploadExternal", 1, Failure.ServerError(500));

        await world.Publish(incident, Ada, "--force");
        await WaitForAllSteps(incident, TimeSpan.FromSeconds(60));

        Assert.Contains(world.Slack.CallsTo("chat.postMessage"), c => c.HttpStatus == 500);
        Assert.Contains(world.Slack.CallsTo("files.completeUploadExternal"), c => c.HttpStatus == 500);
        foreach (var channel in new[] { world.Announce.Id, incident.ChannelId })
        {
            One(Summaries(channel, incident), channel);
            One(Files(channel, incident), channel);
        }
        foreach (var user in new[] { PublishWorld.Pam, PublishWorld.Dan })
        {
            One(PublishedDms(user, incident), Dm(user));
            One(Files(Dm(user), incident), Dm(user));
        }
        Assert.Single(Emails(incident));
    }

    [Fact]
    public async Task AnnounceChannelWithoutTheBot_TheIncidentChannelIsToldOnceHowToFixIt_AndTheJobKeepsTrying()
    {
        var hidden = world.Slack.AddChannel($"leadership-{Guid.NewGuid():N}"[..17], isPrivate: true, botIsMember: false, members: [Ada]);
        var cs = await PostgresServer.Instance.CreateDatabase("publish_nobot");
        await using var app = await world.StartApp(cs, hidden.Id);
        var incident = await world.World.Resolved(app, cs, "Publish hidden");

        await world.World.Command(app, "/postmortem", "publish --force", Ada, incident.ChannelId, incident.Team);

        var warning = await world.Slack.WaitForMessage(incident.ChannelId, m => (m.Text ?? "").Contains("could not post the post-mortem"));
        Assert.Contains($"<#{hidden.Id}>", warning.Text);
        Assert.Contains("`channel_not_found`", warning.Text);
        Assert.Contains("Invite me there", warning.Text);
        // Hangfire's first retry (5 s later) is refused too, and does not say it again.
        await Poll.Until(() => Task.FromResult(world.Slack.CallsTo("chat.postMessage").Count(c => c.Arg("channel") == hidden.Id)), n => n >= 2,
            TimeSpan.FromSeconds(30), "the announcement's retry");
        await Poll.Until(() => Scalar<string>(cs,
                $"select statename from {app.HangfireSchema}.job where invocationdata::text like '%PublishAnnounceJob%'"),
            state => state == "Scheduled", what: "the announcement to wait for its next retry");
        Assert.Single(world.Slack.Messages(incident.ChannelId), m => (m.Text ?? "").Contains("could not post the post-mortem"));
        Assert.Empty(world.Slack.Messages(hidden.Id));
        // Everything else went out.
        await Poll.Until(() => Scalar<long>(cs,
                "select count(*) from postmortem_sends where incident_id = @Id and kind in ('publish_channel_file', 'publish_dm_file', 'publish_email') and sent_at is not null",
                new { incident.Id }), n => n == 4, what: "the other steps");
        One(Summaries(incident.ChannelId, incident), incident.ChannelId);
        One(PublishedDms(PublishWorld.Pam, incident), Dm(PublishWorld.Pam));
    }

    /// <summary>Publishes while the SMTP server refuses every login: the email job fails, its marker is released, and
    /// Hangfire keeps the failure for its retry.</summary>
    private async Task RefusedThenRetried(Incident incident)
    {
        await world.Publish(incident, Ada, "--force");
        // The refused attempt released its marker and failed the job: Hangfire retries it (30 s later; requeued here).
        await Poll.Until(() => Scalar<long>(world.ConnectionString,
                $"select count(*) from {world.App.HangfireSchema}.job where statename = 'Scheduled' and invocationdata::text like '%PublishEmailJob%'"),
            n => n == 1, what: "the email job to wait for its retry");
        Assert.Empty(Emails(incident));
        Assert.Equal(0L, await Scalar<long>(world.ConnectionString,
            "select count(*) from postmortem_sends where incident_id = @Id and kind = 'publish_email'", new { incident.Id }));
        // Hangfire keeps the failure as the retry's reason (what its log line and dashboard show), where a password could
        // leak. (Hangfire's log provider is process-wide, so its log lines may go to another test's app; this app's own
        // lines are checked afterwards.)
        var reason = await Scalar<string>(world.ConnectionString, $"""
            select s.reason from {world.App.HangfireSchema}.state s join {world.App.HangfireSchema}.job j on j.id = s.jobid
            where s.name = 'Scheduled' and j.statename = 'Scheduled' and j.invocationdata::text like '%PublishEmailJob%'
            """);
        Assert.StartsWith("Retry attempt 1 of 3", reason);
        Assert.Contains("uthentication", reason);
    }

    [Fact]
    public async Task SmtpRefusesTheLogin_TheEmailIsRetried_SentOnce_AndThePasswordIsNeverLoggedOrStored()
    {
        var incident = await Resolved("Publish mail");
        world.Smtp.RefuseLogins = true;
        try
        {
            await RefusedThenRetried(incident);
        }
        finally
        {
            world.Smtp.RefuseLogins = false;
        }

        var jobId = await Scalar<long>(world.ConnectionString,
            $"select id from {world.App.HangfireSchema}.job where statename = 'Scheduled' and invocationdata::text like '%PublishEmailJob%'");
        world.App.Services.GetRequiredService<IBackgroundJobClient>().Requeue(jobId.ToString());
        await WaitForAllSteps(incident);

        Assert.Single(Emails(incident));
        Assert.DoesNotContain(world.Logs, l => l.Contains(PublishWorld.SmtpPassword, StringComparison.Ordinal));
        Assert.Equal(0L, await Scalar<long>(world.ConnectionString, $"""
            select (select count(*) from {world.App.HangfireSchema}.state where data::text like '%' || @pw || '%' or reason like '%' || @pw || '%')
                 + (select count(*) from {world.App.HangfireSchema}.job where invocationdata::text like '%' || @pw || '%' or arguments::text like '%' || @pw || '%')
            """, new { pw = PublishWorld.SmtpPassword }));
        foreach (var channel in new[] { world.Announce.Id, incident.ChannelId, Dm(PublishWorld.Pam) })
            Assert.DoesNotContain(world.Slack.Messages(channel), m => (m.Text + BlocksText(m)).Contains(PublishWorld.SmtpPassword, StringComparison.Ordinal));
    }
}
