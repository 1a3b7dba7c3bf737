using System.Text.Json.Nodes;
using Bot.Slack.Testing;
using Bot.Tests.Infrastructure;
using static Bot.Tests.Postmortems.PostmortemWorld;

namespace Bot.Tests.Postmortems;

/// <summary>The meeting changed by several hands: the prep DM's proposal, the pick-a-time modal and the slash
/// command. A proposal acts once and never over a meeting set since; each person is told what changed for them,
/// once.</summary>
public sealed class MeetingChangeTests(PostmortemWorld world) : IClassFixture<PostmortemWorld>
{
    private static readonly string[] Everyone = [Ada, Bob, Cat];

    private Task<string> Meeting(Incident incident) => Scalar<string>(incident.Connection, """
        select version || '|' || coalesce(to_char(starts_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI'), '-') || '|' || (cancelled_at is not null)
        from postmortem_meetings where incident_id = @Id
        """, new { incident.Id });

    /// <summary>"Schedule this" in Ada's prep DM, clicked with a fresh response_url (returned).</summary>
    private async Task<string> ClickScheduleThis(Incident incident)
    {
        var dm = Assert.Single(world.Dms(Ada, incident.Title), m => BlocksText(m).Contains("Schedule this"));
        var proposed = await Scalar<DateTime>(incident.Connection, "select proposed_start from postmortems where incident_id = @Id", new { incident.Id });
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
        return responseUrl;
    }

    private async Task<string> Answer(string responseUrl) =>
        (await world.Slack.WaitForResponse(responseUrl, timeout: TimeSpan.FromSeconds(20))).Body?["text"]?.ToString() ?? "";

    private int DmsWith(Incident incident, string user, string text) => world.Dms(user, incident.Title).Count(m => m.Text!.Contains(text));

    private Task Command(Incident incident, string text) =>
        world.Command(world.App, "/postmortem", text, Ada, incident.ChannelId, incident.Team);

    [Fact]
    public async Task ScheduleThis_ClickedTwice_SecondChangesNothing_AndSaysWhatTheMeetingIs()
    {
        var incident = await world.Resolved(world.App, world.ConnectionString, "Twice");
        Assert.Contains("Scheduled for", await Answer(await ClickScheduleThis(incident)));
        await NoticesDone(world.App, world.ConnectionString);
        var before = await Meeting(incident);

        var second = await Answer(await ClickScheduleThis(incident));
        Assert.Contains("already set for", second);
        Assert.Contains("changed nothing", second);
        Assert.Contains("(Europe/Berlin)", second);
        Assert.Contains("set by <@U0ADA>", second);
        await NoticesDone(world.App, world.ConnectionString);
        Assert.Equal(before, await Meeting(incident));
        Assert.StartsWith("1|", before);
        foreach (var user in Everyone)
        {
            Assert.Equal(1, DmsWith(incident, user, "You're invited"));
            Assert.Equal(0, DmsWith(incident, user, "Moved"));
            Assert.Single(world.IcsFiles(user, "METHOD:REQUEST"), t => t.Contains(incident.Title[^6..]));
        }
        await Poll.Until(() => Task.FromResult(world.Slack.Messages(incident.ChannelId).Count(m => m.Text!.Contains("Post-mortem meeting"))),
            n => n >= 1, TimeSpan.FromSeconds(20), "the announcement");
        Assert.Single(world.Slack.Messages(incident.ChannelId), m => m.Text!.Contains("Post-mortem meeting"));
    }

    [Fact]
    public async Task ScheduleThis_TwoClicksAtOnce_OnlyOneActs()
    {
        var incident = await world.Resolved(world.App, world.ConnectionString, "AtOnce");
        var urls = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => ClickScheduleThis(incident)));
        var answers = await Task.WhenAll(urls.Select(Answer));

        Assert.Single(answers, a => a.Contains("Scheduled for"));
        Assert.Equal(3, answers.Count(a => a.Contains("already set for")));
        Assert.StartsWith("1|", await Meeting(incident));
        await NoticesDone(world.App, world.ConnectionString);
        Assert.All(Everyone, u => Assert.Equal(1, DmsWith(incident, u, "You're invited")));
    }

    [Fact]
    public async Task ScheduleThis_AfterSlashSchedule_LeavesThatMeeting_AndSaysWhen()
    {
        var incident = await world.Resolved(world.App, world.ConnectionString, "Late click");
        await world.Command(world.App, "/postmortem", "schedule 2027-01-05 10:00", Bob, incident.ChannelId, incident.Team);
        Assert.Equal("1|2027-01-05 15:00|false", await Meeting(incident)); // Bob is in New York

        var answer = await Answer(await ClickScheduleThis(incident));
        Assert.Contains("already set for *Tue 5 Jan 2027, 16:00 (Europe/Berlin)*", answer);
        Assert.Contains("set by <@U0BOB>", answer);
        Assert.Contains("/postmortem reschedule", answer);
        Assert.Equal("1|2027-01-05 15:00|false", await Meeting(incident));

        await Command(incident, "cancel");
        var afterCancel = await Answer(await ClickScheduleThis(incident));
        Assert.Contains("cancelled since", afterCancel);
        Assert.Equal("2|2027-01-05 15:00|true", await Meeting(incident));
    }

    private async Task<FakeView> OpenPickTime(Incident incident, SlackAppDriver driver, int version)
    {
        var dm = Assert.Single(world.Dms(Ada, incident.Title), m => BlocksText(m).Contains("Pick another time"));
        await driver.BlockActionInMessage(Ada, dm, "postmortem_pick_time", incident.Id.ToString());
        return (await Poll.Until(() => Task.FromResult(world.Slack.Views.LastOrDefault(v =>
                v.Definition["private_metadata"]?.ToString() == $"{incident.Id}:{version}")), v => v is not null, TimeSpan.FromSeconds(20), "the modal"))!;
    }

    private static JsonObject Picked(string date, string time) => new()
    {
        ["date"] = new JsonObject { ["date"] = new JsonObject { ["type"] = "datepicker", ["selected_date"] = date } },
        ["time"] = new JsonObject { ["time"] = new JsonObject { ["type"] = "timepicker", ["selected_time"] = time } },
        ["length"] = new JsonObject { ["length"] = new JsonObject { ["type"] = "plain_text_input", ["value"] = "" } },
    };

    [Fact]
    public async Task PickTime_SubmittedAfterSomeoneScheduled_ChangesNothing_OpenedAfter_SaysItMoves()
    {
        var incident = await world.Resolved(world.App, world.ConnectionString, "Late modal");
        var driver = world.Slack.OverHttp(world.App.BaseAddress.ToString(), BotApp.SigningSecret);
        var early = await OpenPickTime(incident, driver, version: 0);
        await world.Command(world.App, "/postmortem", "schedule 2027-01-05 10:00", Bob, incident.ChannelId, incident.Team);

        var refused = await driver.ViewSubmission(Ada, early, Picked("2027-01-06", "11:00"));
        Assert.Equal(200, refused.HttpStatus);
        Assert.Equal("errors", refused.Body?["response_action"]?.ToString());
        Assert.Contains("already set for Tue 5 Jan 2027, 16:00 (Europe/Berlin)", refused.Body?["errors"]?["date"]?.ToString());
        Assert.Equal("1|2027-01-05 15:00|false", await Meeting(incident));

        // Opened now, the modal shows the meeting that is set and offers to move it.
        var late = await OpenPickTime(incident, driver, version: 1);
        var definition = late.Definition.ToJsonString();
        Assert.Contains("The meeting is set for *Tue 5 Jan 2027, 16:00 (Europe/Berlin)*", definition);
        Assert.Contains("\"initial_date\":\"2027-01-05\"", definition);
        Assert.Contains("\"initial_time\":\"16:00\"", definition);
        Assert.Contains("Move", late.Definition["submit"]?.ToJsonString());
        var moved = await driver.ViewSubmission(Ada, late, Picked("2027-01-06", "11:00"));
        Assert.Null(moved.Body?["response_action"]);
        Assert.Equal("2|2027-01-06 10:00|false", await Meeting(incident));
        await Poll.Until(() => Task.FromResult(world.Slack.Messages(incident.ChannelId).Count(m => m.Text!.Contains("Post-mortem meeting moved to"))),
            n => n == 1, TimeSpan.FromSeconds(20), "the move's announcement");
    }
}
