using Bot.Tests.EndToEnd;
using Bot.Tests.Infrastructure;
using static Bot.Tests.EndToEnd.IncidentWorld;

namespace Bot.Tests.Operations;

/// <summary>The incident world with the Prometheus endpoint on.</summary>
public sealed class MetricsWorld : IncidentWorld
{
    protected override IReadOnlyDictionary<string, string?> ExtraSettings { get; } =
        new Dictionary<string, string?> { ["Bot:Metrics:Prometheus"] = "true" };
}

/// <summary>GET /metrics after a real flow: an incident opened (a slash command, its channel job, Slack calls), messages
/// captured in its channel, a forged request refused; and each app exporting only its own counts.</summary>
public sealed class MetricsTests(MetricsWorld world) : IClassFixture<MetricsWorld>
{
    [Fact]
    public async Task AfterAFlow_TheCountersAreScrapedAndHaveMoved()
    {
        var before = await Scrape.From(world.App.Http);

        var opened = await world.Command("new Metrics are moving sev2", Ada, world.General.Id);
        Assert.Contains("Opening #", opened.Text);
        var incident = await world.WaitUntilOpened(1);
        var start = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        for (var i = 1; i <= 3; i++)
            await world.Event(new { type = "message", channel = incident.ChannelId, channel_type = "channel", user = Bob, text = $"step {i}", ts = $"{start}.00000{i}", event_ts = $"{start}.00000{i}" }, twice: true);
        using (var forged = world.App.Signed("/slack/events", "{}", "application/json"))
        {
            forged.Headers.Remove("X-Slack-Signature");
            forged.Headers.Add("X-Slack-Signature", "v0=" + new string('0', 64));
            using var refused = await world.App.Http.SendAsync(forged);
            Assert.Equal(401, (int)refused.StatusCode);
        }

        // The open-incidents gauge is read in the background (at most every 15 s), and the exporter caches a scrape briefly.
        var after = await Poll.Until(() => Scrape.From(world.App.Http),
            s => s.Value("bot_jobs_run_total", ("job", "OpenIncidentChannelJob")) >= 1 && s.Value("bot_incidents_open") == 1,
            TimeSpan.FromSeconds(40), "the channel job and the open incident in /metrics");

        double Moved(string name, params (string, string)[] labels) => after.Value(name, labels) - before.Value(name, labels);
        Assert.True(Moved("bot_slack_events_received_total", ("type", "message")) >= 6, after.ToString());
        Assert.True(Moved("bot_slack_events_received_total", ("type", "slash_command")) == 1, after.ToString());
        Assert.True(Moved("bot_slack_events_stored_total") >= 6, after.ToString());
        Assert.True(Moved("bot_slack_events_refused_total", ("reason", "signature")) >= 1, after.ToString());
        Assert.True(Moved("bot_slack_ack_duration_milliseconds_count", ("transport", "http")) >= 8, after.ToString());
        Assert.True(after.Has("bot_slack_ack_duration_milliseconds_bucket"));
        Assert.True(Moved("bot_slack_api_calls_total", ("method", "conversations.create"), ("outcome", "ok")) >= 1, after.ToString());
        Assert.True(Moved("bot_jobs_run_total", ("job", "OpenIncidentChannelJob")) >= 1, after.ToString());
        Assert.Equal(1, after.Value("bot_incidents_open"));
        Assert.DoesNotContain(world.Slack.BotToken, after.Text);
    }

    [Fact]
    public async Task AppsInOneProcess_EachExportsOnlyItsOwnCounts()
    {
        // Meters of the same name exist in every app of the process; the one started last must not export (or be
        // shadowed by) the others'.
        await using var other = await BotApp.Start(await PostgresServer.Instance.CreateDatabase("othermetrics"), world.Slack);
        await using var mine = await BotApp.Start(await PostgresServer.Instance.CreateDatabase("minemetrics"), world.Slack,
            new Dictionary<string, string?> { ["Bot:Metrics:Prometheus"] = "true" });
        for (var i = 0; i < 2; i++)
            using (var help = await other.PostCommand("/incident", "help", Ada, world.General.Id)) Assert.Equal(200, (int)help.StatusCode);
        for (var i = 0; i < 3; i++)
            using (var help = await mine.PostCommand("/incident", "help", Ada, world.General.Id)) Assert.Equal(200, (int)help.StatusCode);

        var scrape = await Poll.Until(() => Scrape.From(mine.Http),
            s => s.Value("bot_slack_events_received_total", ("type", "slash_command")) >= 3, TimeSpan.FromSeconds(10), "this app's three commands");
        Assert.Equal(3, scrape.Value("bot_slack_events_received_total", ("type", "slash_command")));
        Assert.Equal(3, scrape.Value("bot_slack_ack_duration_milliseconds_count", ("transport", "http")));
    }

    [Fact]
    public async Task WithoutTheSetting_ThereIsNoMetricsEndpoint()
    {
        await using var app = await BotApp.Start(await PostgresServer.Instance.CreateDatabase("nometrics"), world.Slack);
        using var response = await app.Http.GetAsync("/metrics");
        Assert.Equal(404, (int)response.StatusCode);
    }
}
