using System.Text.Json.Nodes;
using Bot.Incidents;
using Bot.Slack.Testing;
using Bot.Tests.Infrastructure;
using Bot.Timeline;
using static Bot.Tests.EndToEnd.IncidentWorld;

namespace Bot.Tests.EndToEnd;

/// <summary>A private incident is seen only by the members of its channel: not on everyone's Home tab, not in
/// everyone's "Add to incident" picker, not in the announcement channel.</summary>
public sealed class PrivateIncidentTests(IncidentWorld world) : IClassFixture<IncidentWorld>
{
    private static string NewTeam() => "TPRV" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();

    private async Task<IncidentState> Open(string text, string team, int number)
    {
        await world.Command(text, Ada, world.General.Id, team);
        return await world.WaitUntilOpened(number, team);
    }

    [Fact]
    public async Task New_WithTheWordPrivate_OpensAPrivateChannel_AndAnnouncesItNowhere()
    {
        var team = NewTeam();
        var reply = await world.Command("new Credentials leaked sev1 private", Ada, world.General.Id, team);

        var opened = await world.WaitUntilOpened(1, team);
        Assert.True(world.Slack.Channel(opened.ChannelId)!.IsPrivate);
        Assert.True(await world.Scalar<bool>("select is_private from incidents where id = @Id", new { opened.Id }));
        await world.Slack.WaitForResponse(reply.ResponseUrl, r => r.Body?["text"]?.ToString().Contains("is ready") == true);
        Assert.DoesNotContain(world.Slack.Messages(world.Announcements.Id), m => m.Text!.Contains("Credentials"));
        Assert.DoesNotContain(world.Slack.Messages(world.General.Id), m => m.Text!.Contains("Credentials"));
        Assert.DoesNotContain(world.Slack.ResponsesTo(reply.ResponseUrl), r => r.Body?["response_type"]?.ToString() == "in_channel");
        Assert.DoesNotContain(world.Slack.CallsTo("chat.postMessage"), c => c.Arg("channel") != opened.ChannelId && c.Arg("text")?.Contains("Credentials") == true);
    }

    [Fact]
    public async Task HomeTab_ListsAPrivateIncidentOnlyToTheMembersOfItsChannel_WhateverTheOrderOfJoinsAndLeaves()
    {
        var team = world.App.TeamId;
        var secret = await Open("new Payroll export tampered private", team, 1);
        await Open("new Status page slow", team, 2);

        Assert.Contains("Payroll export tampered", await Home(Ada));
        var bob = await Home(Bob);
        Assert.Contains("Status page slow", bob);
        Assert.DoesNotContain("Payroll", bob);

        // Bob is invited; his leave an hour later arrives before the join, then the join, then Slack's retry of it.
        var join = new { type = "member_joined_channel", user = Bob, channel = secret.ChannelId, channel_type = "G", team, inviter = Ada, event_ts = Ts(0) };
        var leave = new { type = "member_left_channel", user = Bob, channel = secret.ChannelId, channel_type = "G", team, event_ts = Ts(3600) };
        await world.Event(new { type = "member_joined_channel", user = Cat, channel = secret.ChannelId, channel_type = "G", team, inviter = Ada, event_ts = Ts(0) });
        Assert.Contains("Payroll export tampered", await Home(Cat));
        await world.Event(leave);
        await world.Event(join, twice: true);
        Assert.DoesNotContain("Payroll", await Home(Bob));

        await world.Event(new { type = "member_joined_channel", user = Bob, channel = secret.ChannelId, channel_type = "G", team, inviter = Ada, event_ts = Ts(7200) });
        Assert.Contains("Payroll export tampered", await Home(Bob));
    }

    [Fact]
    public async Task AddToIncident_OffersAPrivateIncidentOnlyToItsMembers_AndRefusesAForgedPick()
    {
        var team = NewTeam();
        var secret = await Open("new Fraudulent refunds private", team, 1);
        var first = await Open("new Queue backlog", team, 2);
        await Open("new Mail bounces", team, 3);

        var views = world.Slack.CallsTo("views.open").Count;
        await Shortcut(team, Ada, "seen in #support");
        Assert.Contains("#1 Fraudulent refunds", (await world.Slack.WaitForCalls("views.open", views + 1))[views].Arg("view"));

        views = world.Slack.CallsTo("views.open").Count;
        await Shortcut(team, Bob, "refund spike on the dashboard");
        var picker = (await world.Slack.WaitForCalls("views.open", views + 1))[views];
        var view = JsonNode.Parse(picker.Arg("view")!)!;
        Assert.Contains("#2 Queue backlog", view.ToJsonString());
        Assert.DoesNotContain("Fraudulent", view.ToJsonString());
        var draft = view["private_metadata"]!.GetValue<string>();
        await Poll.Until(() => world.Scalar<long>("select count(*) from shortcut_drafts where id = @id", new { id = Guid.Parse(draft) }),
            n => n == 1, what: "the parked message");

        // A crafted submission naming the private incident adds nothing to it.
        using var forged = await world.Interaction(Pick(team, Bob, draft, secret.Id));
        Assert.Equal(200, (int)forged.StatusCode);
        Assert.Equal(0L, await world.Scalar<long>("select count(*) from timeline_entries where incident_id = @Id and kind = 'detail'", new { secret.Id }));
        Assert.Equal(0L, await world.Scalar<long>("select count(*) from timeline_entries where incident_id = @Id and kind = 'detail'", new { first.Id }));
    }

    private async Task<string> Home(string user)
    {
        var before = world.Slack.CallsTo("views.publish").Count(c => c.Args.Str("user_id") == user);
        await world.Event(new { type = "app_home_opened", user, channel = "D0HOME" + user, tab = "home", event_ts = Ts(0) });
        var publish = await Poll.Until(() => Task.FromResult(world.Slack.CallsTo("views.publish").Where(c => c.Args.Str("user_id") == user).ToList()),
            calls => calls.Count > before, what: $"the Home tab of {user}");
        Assert.True(publish[^1].Ok, publish[^1].Error);
        return publish[^1].Args.Str("view")!;
    }

    private static string Ts(int secondsLater) =>
        $"{DateTimeOffset.UtcNow.AddSeconds(secondsLater).ToUnixTimeSeconds()}.000100";

    private async Task<(string ResponseUrl, string Ts)> Shortcut(string team, string user, string text)
    {
        var message = world.Slack.AddMessage(world.General.Id, Cat, text);
        var responseUrl = world.Slack.ResponseUrl();
        using var response = await world.Interaction(new
        {
            type = "message_action", callback_id = AddToIncidentShortcut.CallbackId, trigger_id = world.Slack.NewTriggerId(),
            response_url = responseUrl, team = new { id = team }, user = new { id = user }, api_app_id = "A0TEST",
            channel = new { id = world.General.Id, name = "general" }, message_ts = message.Ts, action_ts = "1.0",
            message = new { type = "message", user = Cat, text, ts = message.Ts },
        });
        Assert.Equal(200, (int)response.StatusCode);
        return (responseUrl, message.Ts);
    }

    private static object Pick(string team, string user, string draft, long incidentId) => new
    {
        type = "view_submission", team = new { id = team }, user = new { id = user }, api_app_id = "A0TEST",
        view = new
        {
            id = "V0PICK", team_id = team, type = "modal", callback_id = AddToIncidentModal.CallbackId, private_metadata = draft,
            state = new { values = new Dictionary<string, object> { ["incident"] = new { incident = new { type = "static_select", selected_option = new { value = incidentId.ToString() } } } } },
        },
    };
}
