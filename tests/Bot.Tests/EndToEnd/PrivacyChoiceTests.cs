using System.Text.Json.Nodes;
using Bot.Incidents;
using static Bot.Tests.EndToEnd.IncidentWorld;

namespace Bot.Tests.EndToEnd;

/// <summary>Privacy per incident: Bot:Incidents:PrivateChannels is only the default of the command and of the
/// modal's checkbox (here: private by default).</summary>
public sealed class PrivacyChoiceTests(PrivateIncidentWorld world) : IClassFixture<PrivateIncidentWorld>
{
    private static string NewTeam() => "TPCH" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();

    [Fact]
    public async Task New_WithTheWordPublic_OpensAPublicIncident_ThoughPrivateIsTheDefault()
    {
        var team = NewTeam();
        await world.Command("new Status page slow public", Ada, world.General.Id, team);

        var opened = await world.WaitUntilOpened(1, team);
        Assert.False(world.Slack.Channel(opened.ChannelId)!.IsPrivate);
        Assert.Contains(world.Slack.Messages(world.Announcements.Id), m => m.Text!.Contains("Status page slow"));
    }

    [Fact]
    public async Task Modal_StartsTicked_AndAnUntickedBoxOpensAPublicIncident()
    {
        var team = NewTeam();
        var modal = await OpenModal("new", team);
        Assert.Equal("private", Box(modal)["initial_options"]![0]!["value"]!.GetValue<string>());

        using var submitted = await world.Interaction(Submission(team, "Disk almost full", ticked: false));
        Assert.Equal(200, (int)submitted.StatusCode);

        var opened = await world.WaitUntilOpened(1, team);
        Assert.False(world.Slack.Channel(opened.ChannelId)!.IsPrivate);
    }

    [Fact]
    public async Task Modal_TickedBox_OpensAPrivateIncident_AnnouncedNowhere()
    {
        var team = NewTeam();
        await OpenModal("new sev1", team);

        using var submitted = await world.Interaction(Submission(team, "Stolen laptop", ticked: true));
        Assert.Equal(200, (int)submitted.StatusCode);

        var opened = await world.WaitUntilOpened(1, team);
        Assert.True(world.Slack.Channel(opened.ChannelId)!.IsPrivate);
        Assert.DoesNotContain(world.Slack.Messages(world.Announcements.Id), m => m.Text!.Contains("Stolen laptop"));
    }

    private async Task<JsonNode> OpenModal(string text, string team)
    {
        var before = world.Slack.CallsTo("views.open").Count;
        await world.Command(text, Ada, world.General.Id, team);
        var call = (await world.Slack.WaitForCalls("views.open", before + 1))[before];
        Assert.True(call.Ok, call.Error);
        return JsonNode.Parse(call.Arg("view")!)!;
    }

    internal static JsonNode Box(JsonNode modal) =>
        modal["blocks"]!.AsArray().Single(b => b!["block_id"]?.GetValue<string>() == "private")!["element"]!;

    internal static object Submission(string team, string title, bool ticked) => new
    {
        type = "view_submission", team = new { id = team, domain = "test" }, user = new { id = Ada, name = "ada" }, api_app_id = "A0TEST",
        view = new
        {
            id = "V0NEW", team_id = team, type = "modal", callback_id = NewIncidentModal.CallbackId,
            state = new
            {
                values = new Dictionary<string, object>
                {
                    ["title"] = new { title = new { type = "plain_text_input", value = title } },
                    ["severity"] = new { severity = new { type = "static_select", selected_option = new { value = "sev2" } } },
                    ["private"] = new { @private = new { type = "checkboxes", selected_options = ticked ? new object[] { new { value = "private" } } : [] } },
                },
            },
        },
    };
}

public sealed class PublicByDefaultModalTests(IncidentWorld world) : IClassFixture<IncidentWorld>
{
    [Fact]
    public async Task Modal_StartsUnticked_UnlessTheCommandSaysPrivate()
    {
        var team = "TPUB" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        await world.Command("new", Ada, world.General.Id, team);
        var plain = JsonNode.Parse((await world.Slack.WaitForCalls("views.open", 1))[0].Arg("view")!)!;
        await world.Command("new private", Ada, world.General.Id, team);
        var asked = JsonNode.Parse((await world.Slack.WaitForCalls("views.open", 2))[1].Arg("view")!)!;

        Assert.Null(PrivacyChoiceTests.Box(plain)["initial_options"]);
        Assert.Equal("private", PrivacyChoiceTests.Box(asked)["initial_options"]![0]!["value"]!.GetValue<string>());
    }
}
