using Bot.Postmortems.Reminders;
using Bot.Tests.Infrastructure;
using static Bot.Tests.Postmortems.PostmortemWorld;

namespace Bot.Tests.Postmortems;

/// <summary>The words follow the settings: the reminder says how soon the meeting is (ReminderHours need not be
/// 24), and the pick-a-time modal offers DefaultMinutes.</summary>
public sealed class MeetingWordingTests(PostmortemWorld world) : IClassFixture<PostmortemWorld>
{
    [Fact]
    public async Task ReminderFourHoursAhead_SaysInFourHours_AndThePickerOffersDefaultMinutes()
    {
        var database = await PostgresServer.Instance.CreateDatabase("pmwording");
        await using var app = await world.StartApp(database, settings: new Dictionary<string, string?>
        {
            ["Bot:Postmortems:ReminderHours"] = "4",
            ["Bot:Postmortems:DefaultMinutes"] = "30",
        });
        var incident = await world.Resolved(app, database, "Wording");

        var dm = Assert.Single(world.Dms(Ada, incident.Title));
        var driver = world.Slack.OverHttp(app.BaseAddress.ToString(), BotApp.SigningSecret);
        await driver.BlockActionInMessage(Ada, dm, "postmortem_pick_time", incident.Id.ToString());
        var view = await Poll.Until(() => Task.FromResult(world.Slack.Views.LastOrDefault(v =>
            v.Definition["private_metadata"]?.ToString() == $"{incident.Id}:0")), v => v is not null, TimeSpan.FromSeconds(20), "the modal");
        var length = view!.Definition["blocks"]!.AsArray().Single(b => b!["block_id"]?.ToString() == "length");
        Assert.Equal("30", length!["element"]!["initial_value"]!.ToString());

        await world.Command(app, "/postmortem", $"schedule {Iso(DateTimeOffset.UtcNow.AddHours(4).AddSeconds(5))}", Ada, incident.ChannelId, incident.Team);
        foreach (var user in new[] { Ada, Bob, Cat })
        {
            var reminder = await Poll.Until(() => Task.FromResult(world.Dms(user, incident.Title).FirstOrDefault(m => m.Text!.Contains(":alarm_clock:"))),
                m => m is not null, TimeSpan.FromSeconds(30), $"{user}'s reminder");
            Assert.StartsWith(":alarm_clock: In 4 hours: the post-mortem", reminder!.Text);
            Assert.Contains("(30 min)", reminder.Text);
        }
        Assert.All(new[] { Ada, Bob, Cat }, u => Assert.DoesNotContain(world.Dms(u, incident.Title), m => m.Text!.Contains("Tomorrow")));
    }

    [Theory]
    // 10:00 UTC, the meeting at 00:30 UTC: tomorrow in Berlin (01:30), still today in New York (19:30).
    [InlineData("2027-01-05T10:00:00Z", "2027-01-06T00:30:00Z", "Europe/Berlin", "Tomorrow")]
    [InlineData("2027-01-05T10:00:00Z", "2027-01-06T00:30:00Z", "America/New_York", "Today")]
    [InlineData("2027-01-05T10:00:00Z", "2027-01-06T10:00:00Z", "Etc/UTC", "Tomorrow")]
    [InlineData("2027-01-05T10:00:00Z", "2027-01-07T10:00:00Z", "Etc/UTC", "In 2 days")]
    [InlineData("2027-01-05T10:00:00Z", "2027-01-05T14:00:00Z", "Europe/Berlin", "In 4 hours")]
    [InlineData("2027-01-05T10:00:00Z", "2027-01-05T11:00:00Z", "Europe/Berlin", "In 1 hour")]
    [InlineData("2027-01-05T10:00:00Z", "2027-01-05T10:40:00Z", "Europe/Berlin", "In 40 min")]
    public void Lead_SaysHowSoon_InTheReadersCalendar(string now, string start, string zone, string expected) =>
        Assert.Equal(expected, MeetingReminderJob.Lead(DateTimeOffset.Parse(now), DateTimeOffset.Parse(start), TimeZoneInfo.FindSystemTimeZoneById(zone)));
}
