using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using static Bot.Tests.EndToEnd.IncidentWorld;

namespace Bot.Tests.EndToEnd;

/// <summary>The Home tab lists the workspace's open incidents, published when someone opens it.</summary>
public sealed class AppHomeTests(IncidentWorld world) : IClassFixture<IncidentWorld>
{
    [Fact]
    public async Task OpeningHome_PublishesTheOpenIncidents_WithTitlesEscaped()
    {
        await world.Command("new Checkout <!channel> &lt;b&gt; down sev2", Ada, world.General.Id, world.App.TeamId);
        var incident = await world.WaitUntilOpened(1, world.App.TeamId);

        await world.Event(new { type = "app_home_opened", user = Bob, channel = "D0BOBHOME", tab = "home", event_ts = "1700000000.000200" });

        var publish = await world.Slack.WaitForCall("views.publish", c => c.Args.Str("user_id") == Bob);
        Assert.True(publish.Ok, publish.Error);
        // Undo JSON's \u003C-style escaping so the assertions read the text Slack would render.
        var view = JsonNode.Parse(publish.Args.Str("view")!)!.ToJsonString(new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        // Slack sends a typed "<b>" as &lt;b&gt; and an @channel as <!channel>: neither may reach the view as markup.
        Assert.True(view.Contains("#1 Checkout @channel &lt;b&gt; down"), view);
        Assert.Contains($"<#{incident.ChannelId}>", view);
        Assert.Contains("SEV2", view);
        Assert.DoesNotContain("<!channel>", view);
    }

    [Fact]
    public async Task OpeningTheMessagesTab_PublishesNothing()
    {
        await world.Event(new { type = "app_home_opened", user = Cat, channel = "D0CATHOME", tab = "messages", event_ts = "1700000000.000300" });
        await world.Event(new { type = "app_home_opened", user = Cat, channel = "D0CATHOME", tab = "home", event_ts = "1700000000.000400" });

        // Events of one user are handled in order: once the second has published, the first would have too.
        await world.Slack.WaitForCall("views.publish", c => c.Args.Str("user_id") == Cat);
        Assert.Single(world.Slack.CallsTo("views.publish"), c => c.Args.Str("user_id") == Cat);
    }
}
