using Bot.Tests.Infrastructure;
using Bot.Timeline;
using static Bot.Tests.EndToEnd.IncidentWorld;

namespace Bot.Tests.EndToEnd;

/// <summary>The "Add to incident" message shortcut, from a channel that is not an incident channel.</summary>
public sealed class AddToIncidentTests(IncidentWorld world) : IClassFixture<IncidentWorld>
{
    private static string NewTeam() => "TADD" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();

    private async Task<(HttpResponseMessage Response, string ResponseUrl, string Ts)> Shortcut(string team, string text)
    {
        var message = world.Slack.AddMessage(world.General.Id, Bob, text);
        var responseUrl = world.Slack.ResponseUrl();
        var response = await world.Interaction(new
        {
            type = "message_action", callback_id = AddToIncidentShortcut.CallbackId, trigger_id = world.Slack.NewTriggerId(),
            response_url = responseUrl, team = new { id = team }, user = new { id = Ada }, api_app_id = "A0TEST",
            channel = new { id = world.General.Id, name = "general" }, message_ts = message.Ts, action_ts = "1.0",
            message = new { type = "message", user = Bob, text, ts = message.Ts },
        });
        return (response, responseUrl, message.Ts);
    }

    [Fact]
    public async Task NoOpenIncident_TellsTheUser()
    {
        var (response, url, _) = await Shortcut(NewTeam(), "anything");
        Assert.Equal(200, (int)response.StatusCode);
        var reply = await world.Slack.WaitForResponse(url);
        Assert.Contains("no open incident", reply.Body!["text"]!.ToString());
    }

    [Fact]
    public async Task OneOpenIncident_AddsMessageWithAuthorTimeAndPermalink()
    {
        var team = NewTeam();
        await world.Command("new Cache misses", Ada, world.General.Id, team);
        var incident = await world.WaitUntilOpened(1, team);

        var (_, url, ts) = await Shortcut(team, "I saw the cache flap at 10:02");
        var reply = await world.Slack.WaitForResponse(url);
        Assert.Contains("Added to incident #1", reply.Body!["text"]!.ToString());

        var row = await Poll.Until(() => world.Scalar<string?>("""
            select user_id || '|' || text || '|' || source_channel_id || '|' || coalesce(permalink, '')
            from timeline_entries where incident_id = @Id and kind = 'detail' and slack_ts = @ts
            """, new { incident.Id, ts }), r => r is not null);
        var parts = row!.Split('|');
        Assert.Equal([Bob, "I saw the cache flap at 10:02", world.General.Id], parts[..3]);
        Assert.StartsWith("http", parts[3]);
    }

    [Fact]
    public async Task SeveralOpenIncidents_ModalPicksOne()
    {
        var team = NewTeam();
        await world.Command("new First", Ada, world.General.Id, team);
        await world.Command("new Second", Ada, world.General.Id, team);
        var first = await world.WaitUntilOpened(1, team);
        await world.WaitUntilOpened(2, team);

        var (_, url, ts) = await Shortcut(team, "relevant elsewhere");
        var open = await world.Slack.WaitForCall("views.open", c => c.Arg("view")?.Contains(AddToIncidentModal.CallbackId) == true);
        var view = System.Text.Json.Nodes.JsonNode.Parse(open.Arg("view")!)!;
        Assert.Contains("#2 Second", view.ToJsonString());
        var draft = view["private_metadata"]!.GetValue<string>();
        // The message is parked just after the modal opens; a person takes longer than that to pick.
        await Poll.Until(() => world.Scalar<long>("select count(*) from shortcut_drafts where id = @id", new { id = Guid.Parse(draft) }),
            n => n == 1, what: "the parked message");

        using var submitted = await world.Interaction(new
        {
            type = "view_submission", team = new { id = team }, user = new { id = Ada }, api_app_id = "A0TEST",
            view = new
            {
                id = "V0PICK", team_id = team, type = "modal", callback_id = AddToIncidentModal.CallbackId, private_metadata = draft,
                state = new { values = new Dictionary<string, object> { ["incident"] = new { incident = new { type = "static_select", selected_option = new { value = first.Id.ToString() } } } } },
            },
        });
        Assert.Equal(200, (int)submitted.StatusCode);
        Assert.Equal(1L, await world.Scalar<long>(
            "select count(*) from timeline_entries where incident_id = @Id and kind = 'detail' and slack_ts = @ts", new { first.Id, ts }));
        await world.Slack.WaitForResponse(url, r => r.Body?["text"]?.ToString().Contains("Added to incident #1") == true);
    }
}
