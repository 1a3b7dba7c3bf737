using Bot.Postmortems.Scheduling;
using Bot.Tests.Infrastructure;
using Dapper;
using static Bot.Tests.Postmortems.PostmortemWorld;

namespace Bot.Tests.Postmortems;

/// <summary>Resolve → draft → prep DM → the meeting, over real HTTP into the app, with PostgreSQL, real
/// Hangfire.PostgreSql and the fake Slack.</summary>
public sealed class PostmortemFlowTests(PostmortemWorld world) : IClassFixture<PostmortemWorld>
{
    [Fact]
    public async Task Resolve_DraftsPostmortem_DmsPointPerson_WithSlotInTheirZone()
    {
        var incident = await world.OpenWithActivity(world.App, world.ConnectionString, "Checkout down");
        var reply = await world.Command(world.App, "/incident", "resolve Failover <!channel> fixed it", Ada, incident.ChannelId, incident.Team);

        Assert.Equal("in_channel", reply.ResponseType);
        Assert.Contains("is *resolved*", reply.Text);
        Assert.Contains("\n>Failover @channel fixed it", reply.Text);
        Assert.DoesNotContain("<!channel>", reply.Text);
        await using var c = await Open(world.ConnectionString);
        var row = await c.QuerySingleAsync<(string Status, DateTime ResolvedAt)>(
            "select status, resolved_at from incidents where id = @Id", new { incident.Id });
        Assert.Equal("resolved", row.Status);
        Assert.Equal("status:resolved:Failover <!channel> fixed it", await c.ExecuteScalarAsync<string>(
            "select kind || ':' || (data->>'to') || ':' || text from timeline_entries where incident_id = @Id and kind = 'status'", new { incident.Id }));

        var again = await world.Command(world.App, "/incident", "resolve", Ada, incident.ChannelId, incident.Team);
        Assert.Equal("ephemeral", again.ResponseType);
        Assert.Contains("already resolved", again.Text);

        await Poll.Until(() => Scalar<bool>(world.ConnectionString, "select prep_dm_sent_at is not null from postmortems where incident_id = @Id", new { incident.Id }),
            sent => sent, TimeSpan.FromSeconds(30), "the prep DM");
        var draft = await c.ExecuteScalarAsync<string>("select draft->'Sections' from postmortems where incident_id = @Id", new { incident.Id });
        Assert.Contains("Checkout returns 502", draft);

        var dm = Assert.Single(world.Dms(Ada, incident.Title));
        var blocks = BlocksText(dm);
        Assert.Contains("Symptoms (1)", blocks);
        Assert.Contains("*Still empty:*", blocks);
        Assert.Contains("Observations", blocks);
        var resolvedAt = new DateTimeOffset(DateTime.SpecifyKind(row.ResolvedAt, DateTimeKind.Utc));
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        var expected = SlotProposer.Propose(resolvedAt, berlin, WorkingTime.Default, 1, TimeSpan.Zero, TimeSpan.FromMinutes(45));
        Assert.Contains(TimeZones.Describe(expected, berlin), blocks);
        Assert.Contains($"\"value\":\"{incident.Id}:{expected.ToUnixTimeSeconds()}\"", blocks);
        Assert.Contains("Pick another time", blocks);
        Assert.Equal(9, TimeZones.ToLocal(expected, berlin).Hour);
    }

    [Fact]
    public async Task PrepDm_ListsTheUnansweredQuestions_WithAnswerButtons_CutWithAMoreLine()
    {
        // Questions marked :question: during the incident (the command only works once it is resolved).
        var incident = await world.OpenWithActivity(world.App, world.ConnectionString, "Questions");
        var baseTs = DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 10;
        for (var n = 1; n <= 12; n++)
        {
            var ts = $"{baseTs + n}.000100";
            var text = n == 3 ? "Who paged <!channel>?" : $"Why number {n}?";
            await world.Event(world.App, new { type = "message", channel = incident.ChannelId, channel_type = "channel", user = Bob, text, ts, event_ts = ts });
            await world.Event(world.App, new
            {
                type = "reaction_added", user = Cat, reaction = "question", item_user = Bob, event_ts = ts + "1",
                item = new { type = "message", channel = incident.ChannelId, ts },
            });
        }
        await Poll.Until(() => Scalar<long>(world.ConnectionString, "select count(*) from timeline_reactions where incident_id = @Id", new { incident.Id }),
            n => n == 13, what: "the marks to be captured");
        await world.Command(world.App, "/incident", "resolve Fixed", Ada, incident.ChannelId, incident.Team);
        await Poll.Until(() => Scalar<bool>(world.ConnectionString, "select prep_dm_sent_at is not null from postmortems where incident_id = @Id", new { incident.Id }),
            sent => sent, TimeSpan.FromSeconds(30), "the prep DM");

        var dm = Assert.Single(world.Dms(Ada, incident.Title));
        var blocks = BlocksText(dm);
        Assert.Contains("*Unanswered questions (12):*", blocks);
        Assert.Contains("/postmortem answer <n> <text>", blocks);
        Assert.Contains("*1.* Why number 1?", blocks);
        Assert.Contains("*3.* Who paged @channel?", blocks);
        Assert.DoesNotContain("<!channel>", blocks);
        Assert.Contains("*9.* Why number 9?", blocks);
        Assert.DoesNotContain("Why number 10?", blocks);
        Assert.Contains("and 3 more: `/postmortem questions`", blocks);
        Assert.Contains($"\"value\":\"{incident.Id}:1\"", blocks);
        Assert.Contains(Bot.Documents.AnswerQuestionButton.ActionId, blocks);
        Assert.True(dm.Blocks!.AsArray().Count <= 50);
        Assert.Contains("Pick another time", blocks); // the proposal still fits after them
    }

    [Fact]
    public async Task ScheduleThisButton_BooksTheProposedSlot_AndInvitesEveryone()
    {
        var incident = await world.Resolved(world.App, world.ConnectionString, "Button");
        var dm = Assert.Single(world.Dms(Ada, incident.Title));
        var proposed = await Scalar<DateTime>(world.ConnectionString, "select proposed_start from postmortems where incident_id = @Id", new { incident.Id });
        var unix = new DateTimeOffset(DateTime.SpecifyKind(proposed, DateTimeKind.Utc)).ToUnixTimeSeconds();

        var responseUrl = world.Slack.ResponseUrl(dm.Channel, Ada, dm.Ts);
        using var response = await world.App.PostInteractivity(PostmortemWorld.Json(new
        {
            type = "block_actions", user = new { id = Ada }, team = new { id = incident.Team }, api_app_id = "A0TEST",
            trigger_id = world.Slack.NewTriggerId(), response_url = responseUrl,
            container = new { type = "message", channel_id = dm.Channel, message_ts = dm.Ts },
            channel = new { id = dm.Channel },
            actions = new[] { new { type = "button", action_id = "postmortem_schedule_proposed", block_id = "b", value = $"{incident.Id}:{unix}", action_ts = "1" } },
        }));
        Assert.Equal(200, (int)response.StatusCode);

        await world.Slack.WaitForResponse(responseUrl, r => r.Body?["text"]?.ToString().Contains("Scheduled for") == true);
        Assert.Equal(unix, await Scalar<long>(world.ConnectionString,
            "select extract(epoch from starts_at)::bigint from postmortem_meetings where incident_id = @Id", new { incident.Id }));
        foreach (var user in new[] { Ada, Bob, Cat })
            await Poll.Until(() => Task.FromResult(world.Dms(user, incident.Title).Any(m => m.Text!.Contains("You're invited"))), ok => ok,
                TimeSpan.FromSeconds(20), $"{user}'s invite");
        // The channel is told by a job (MeetingAnnounceJob), not on the request path.
        await Poll.Until(() => Task.FromResult(world.Slack.Messages(incident.ChannelId).Any(m => m.Text!.Contains("Post-mortem meeting scheduled for"))),
            ok => ok, TimeSpan.FromSeconds(20), "the channel's announcement");
        Assert.Contains(world.Slack.Messages(incident.ChannelId), m => m.Text!.Contains("Post-mortem meeting scheduled for"));
    }

    [Fact]
    public async Task PickAnotherTime_OpensPickers_InTheirZone_AndTheSubmissionSchedules()
    {
        var incident = await world.Resolved(world.App, world.ConnectionString, "Picker");
        var dm = Assert.Single(world.Dms(Ada, incident.Title));
        var driver = world.Slack.OverHttp(world.App.BaseAddress.ToString(), BotApp.SigningSecret);

        await driver.BlockActionInMessage(Ada, dm, "postmortem_pick_time", incident.Id.ToString());
        var view = await Poll.Until(() => Task.FromResult(world.Slack.Views.LastOrDefault(v => v.Definition["callback_id"]?.ToString() == "postmortem_pick_time"
                && v.Definition["private_metadata"]?.ToString() == $"{incident.Id}:0")), v => v is not null, TimeSpan.FromSeconds(20), "the modal");
        Assert.Contains("\"timezone\":\"Europe/Berlin\"", view!.Definition.ToJsonString());

        var values = System.Text.Json.Nodes.JsonNode.Parse("""
            {"date": {"date": {"type": "datepicker", "selected_date": "2027-03-29"}},
             "time": {"time": {"type": "timepicker", "selected_time": "10:00"}},
             "length": {"length": {"type": "plain_text_input", "value": "30"}}}
            """)!.AsObject();
        var past = values.DeepClone().AsObject();
        past["date"]!["date"]!["selected_date"] = "2020-01-01";
        var refused = await driver.ViewSubmission(Ada, view, past);
        Assert.Contains("in the past", refused.RawBody);

        var reply = await driver.ViewSubmission(Ada, view, values);
        Assert.Equal(200, reply.HttpStatus);
        Assert.Equal("2027-03-29 08:00:00/30", await Scalar<string>(world.ConnectionString,
            "select to_char(starts_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS') || '/' || duration_minutes from postmortem_meetings where incident_id = @Id",
            new { incident.Id }));
        // The submission answers without posting; the channel hears of it from a job, once.
        var announced = await Poll.Until(() => Task.FromResult(world.Slack.Messages(incident.ChannelId)
                .Count(m => m.Text!.Contains("Post-mortem meeting scheduled for") && m.Text.Contains("(30 min)"))),
            n => n > 0, TimeSpan.FromSeconds(20), "the channel's announcement");
        Assert.Equal(1, announced);

        // The same modal again: the meeting it was opened on has changed since, so it is left alone.
        var again = await driver.ViewSubmission(Ada, view, values);
        Assert.Contains("changed nothing", again.RawBody);
    }

    [Fact]
    public async Task Schedule_AcrossDst_InTheUsersZone_EachAttendeeSeesTheirOwnTime_WithIcs()
    {
        var incident = await world.Resolved(world.App, world.ConnectionString, "Dst");
        // Ada is in Berlin: 29 March 2027 is the day after clocks go forward, so 10:00 there is 08:00 UTC.
        var reply = await world.Command(world.App, "/postmortem", "schedule 2027-03-29 10:00 for 30", Ada, incident.ChannelId, incident.Team);

        Assert.Equal("in_channel", reply.ResponseType);
        Assert.Contains("scheduled for <!date^1806307200^", reply.Text);
        Assert.Contains("(30 min)", reply.Text);
        Assert.Contains(":warning:", reply.Text); // months after resolution: accepted, with the warning
        Assert.Equal(new DateTime(2027, 3, 29, 8, 0, 0), await Scalar<DateTime>(world.ConnectionString,
            "select starts_at from postmortem_meetings where incident_id = @Id", new { incident.Id }));

        var adaInvite = await Poll.Until(() => Task.FromResult(world.Dms(Ada, incident.Title).FirstOrDefault(m => m.Text!.Contains("invited"))),
            m => m is not null, TimeSpan.FromSeconds(20), "Ada's invite");
        Assert.Contains("Mon 29 Mar 2027, 10:00 (Europe/Berlin)", adaInvite!.Text);
        var bobInvite = await Poll.Until(() => Task.FromResult(world.Dms(Bob, incident.Title).FirstOrDefault(m => m.Text!.Contains("invited"))),
            m => m is not null, TimeSpan.FromSeconds(20), "Bob's invite");
        Assert.Contains("Mon 29 Mar 2027, 04:00 (America/New_York)", bobInvite!.Text);
        Assert.Contains("Moderator: <@U0ADA>", BlocksText(bobInvite));

        var ics = await Poll.Until(() => Task.FromResult(world.IcsFiles(Bob, "20270329T080000Z")), l => l.Count == 1, TimeSpan.FromSeconds(20), "Bob's .ics");
        Assert.Contains("METHOD:REQUEST", ics[0]);
        Assert.Contains("SEQUENCE:1", ics[0]);
        Assert.Contains("DTEND:20270329T083000Z", ics[0]);
        var uid = await Scalar<string>(world.ConnectionString, "select uid from postmortem_meetings where incident_id = @Id", new { incident.Id });
        Assert.Contains(uid[..20], ics[0]);

        // Moved: same UID, SEQUENCE 2, and the moved notice.
        var moved = await world.Command(world.App, "/postmortem", "reschedule 2027-03-30 11:00", Ada, incident.ChannelId, incident.Team);
        Assert.Contains("moved to", moved.Text);
        var second = await Poll.Until(() => Task.FromResult(world.IcsFiles(Bob, "20270330T090000Z")), l => l.Count == 1, TimeSpan.FromSeconds(20), "the moved .ics");
        Assert.Contains("SEQUENCE:2", second[0]);
        Assert.Contains(uid[..20], second[0]);
    }

    [Fact]
    public async Task ModeratorAndNotetaker_CannotBeTheSamePerson_EarlierChoiceKept()
    {
        var incident = await world.Resolved(world.App, world.ConnectionString, "Roles");
        var moderator = await world.Command(world.App, "/postmortem", "moderator <@U0BOB|bob>", Ada, incident.ChannelId, incident.Team);
        Assert.Equal("in_channel", moderator.ResponseType);

        var notetaker = await world.Command(world.App, "/postmortem", "notetaker <@U0BOB|bob>", Ada, incident.ChannelId, incident.Team);
        Assert.Equal("ephemeral", notetaker.ResponseType);
        Assert.Contains("can't be both", notetaker.Text);
        var roles = await Scalar<string>(world.ConnectionString,
            "select coalesce(moderator_id, '-') || '/' || coalesce(notetaker_id, '-') from postmortem_meetings where incident_id = @Id", new { incident.Id });
        Assert.Equal("U0BOB/-", roles);

        // Not named: a notetaker is suggested when the meeting is set, never the moderator.
        await world.Command(world.App, "/postmortem", "schedule 2027-01-05 10:00", Ada, incident.ChannelId, incident.Team);
        var after = await Scalar<string>(world.ConnectionString,
            "select moderator_id || '/' || notetaker_id from postmortem_meetings where incident_id = @Id", new { incident.Id });
        Assert.StartsWith("U0BOB/", after);
        Assert.NotEqual("U0BOB/U0BOB", after);
    }

    [Fact]
    public async Task Attendees_SuggestedFromTheChannel_InviteAndUninvite()
    {
        var incident = await world.Resolved(world.App, world.ConnectionString, "People");
        var list = await world.Command(world.App, "/postmortem", "attendees", Ada, incident.ChannelId, incident.Team);
        Assert.Contains("<@U0ADA> (point person)", list.Text);
        Assert.Contains("<@U0BOB> (took part)", list.Text);
        Assert.Contains("<@U0CAT> (took part)", list.Text);

        var removed = await world.Command(world.App, "/postmortem", "uninvite <@U0CAT|cat>", Ada, incident.ChannelId, incident.Team);
        Assert.Contains("No longer invited", removed.Text);
        var invited = await world.Command(world.App, "/postmortem", "invite <@U0CAT|cat>", Ada, incident.ChannelId, incident.Team);
        Assert.Contains("Invited to the post-mortem", invited.Text);
        var twice = await world.Command(world.App, "/postmortem", "invite <@U0CAT|cat>", Ada, incident.ChannelId, incident.Team);
        Assert.Contains("invited already", twice.Text);
    }

    [Theory]
    [InlineData("schedule next week sometime")]
    [InlineData("schedule tomorrow")]
    [InlineData("schedule 2026-02-30 10:00")]
    public async Task BadWhen_GetsExamples(string text)
    {
        var incident = await world.Resolved(world.App, world.ConnectionString, "Bad when");
        var reply = await world.Command(world.App, "/postmortem", text, Ada, incident.ChannelId, incident.Team);
        Assert.Equal("ephemeral", reply.ResponseType);
        Assert.Contains("`tomorrow 10:00`", reply.Text);
        Assert.Contains("`mon 14:30`", reply.Text);
        Assert.Equal(0L, await Scalar<long>(world.ConnectionString, "select count(*) from postmortem_meetings where incident_id = @Id and starts_at is not null", new { incident.Id }));
    }

    [Fact]
    public async Task PastOrTooLong_Refused_BeforeResolve_Explained()
    {
        var open = await world.OpenWithActivity(world.App, world.ConnectionString, "Early");
        var early = await world.Command(world.App, "/postmortem", "schedule tomorrow 10:00", Ada, open.ChannelId, open.Team);
        Assert.Contains("/incident resolve", early.Text);

        var incident = await world.Resolved(world.App, world.ConnectionString, "Limits");
        var past = await world.Command(world.App, "/postmortem", "schedule 2020-01-01 10:00", Ada, incident.ChannelId, incident.Team);
        Assert.Contains("in the past", past.Text);
        var tooLong = await world.Command(world.App, "/postmortem", "schedule 2027-01-05 10:00 for 120", Ada, incident.ChannelId, incident.Team);
        Assert.Contains("5 to 90 minutes", tooLong.Text);
        var elsewhere = await world.Command(world.App, "/postmortem", "attendees", Ada, world.General.Id, incident.Team);
        Assert.Contains("incident channel", elsewhere.Text);
    }
}
