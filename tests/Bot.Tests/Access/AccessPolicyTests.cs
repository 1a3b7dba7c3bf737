using System.Text.Json.Nodes;
using Bot.Access;
using Bot.ActionItems;
using Bot.Postmortems;
using Bot.Slack.Testing;
using Bot.Tests.Infrastructure;
using static Bot.Tests.Access.AccessWorld;

namespace Bot.Tests.Access;

/// <summary>The refusal's wording (pure), the setting as the real app reads it, and a modal opened by someone allowed
/// but submitted after they lost the right.</summary>
public sealed class AccessPolicyTests(AccessWorld world) : IClassFixture<AccessWorld>
{
    private static readonly IncidentHolders Handed = new("U0BO", "U0ANA", "U0ANA", [("comms", "U0CY"), ("scribe", "U0DI")]);

    [Fact]
    public void Refusal_NamesEveryoneWhoCan_CommanderAndPointPersonOnceWhenTheSamePerson()
    {
        var fresh = new IncidentHolders("U0ANA", "U0ANA", "U0ANA", []);
        Assert.Equal("Sorry, only the commander and point person (<@U0ANA>) can resolve this incident. Ask one of them.",
            fresh.Refusal(Acts.Resolve, []));
        Assert.Equal("Sorry, only the commander (<@U0BO>), the point person (<@U0ANA>), a role holder (<@U0CY> comms, <@U0DI> scribe) " +
                     "or an admin (<@U0A1>, <@U0A2>, <@U0A3> and 2 more) can change the severity of this incident. Ask one of them.",
            Handed.Refusal(Acts.Severity, ["U0A1", "U0A2", "U0A3", "U0A4", "U0A5"]));
        Assert.Equal("Sorry, only the point person (<@U0ANA>) can publish this post-mortem. Ask one of them.", Handed.Refusal(Acts.Publish, []));
        Assert.Equal("Sorry, only the reporter (<@U0ANA>), the commander (<@U0BO>) or an admin (<@U0ED>) can retry or cancel this incident's channel. Ask one of them.",
            Handed.Refusal(Acts.RetryChannel, ["U0ED"]));
    }

    [Theory]
    [InlineData("U0BO", true, false, true)]
    [InlineData("U0ANA", true, true, true)]
    [InlineData("U0CY", true, false, false)]
    [InlineData("U0XX", false, false, false)]
    public void May_FollowsTheRule(string user, bool responders, bool pointPerson, bool reporter)
    {
        Assert.Equal(responders, Handed.May(user, Who.Responders));
        Assert.Equal(pointPerson, Handed.May(user, Who.PointPerson));
        Assert.Equal(reporter, Handed.May(user, Who.Reporter));
    }

    [Fact]
    public async Task Admins_ThatAreNotUserIds_StopTheBotAtStartup_NamingTheSetting()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => BotApp.Start(world.ConnectionString, world.Slack.ApiUrl,
            new Dictionary<string, string?> { ["Bot:Access:Admins:0"] = "@ed" }));
        Assert.Contains("Bot:Access:Admins", error.ToString());
    }

    [Fact]
    public async Task PickTimeModal_OpenedByTheRoleHolder_SubmittedAfterTheRoleMoved_IsRefused_AndTheNewHolderCanSchedule()
    {
        var c = await world.NewCase(State.Open);
        var click = await world.Click(RoleHolder, null, DraftPostmortemJob.PickTimeAction, $"{c.Id}");
        await world.OpenedModal(click);
        var modal = world.Slack.Views.Single(v => v.TriggerId == click.TriggerId);

        var handover = await world.Command("/incident", $"role comms <@{Member}>", AccessWorld.Commander, c.ChannelId);
        Assert.Equal("in_channel", handover.Body?["response_type"]?.ToString());

        var day = DateTime.UtcNow.Date.AddDays(8).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var values = new JsonObject
        {
            ["date"] = new JsonObject { ["date"] = new JsonObject { ["type"] = "datepicker", ["selected_date"] = day } },
            ["time"] = new JsonObject { ["time"] = new JsonObject { ["type"] = "timepicker", ["selected_time"] = "10:00" } },
            ["length"] = new JsonObject { ["length"] = new JsonObject { ["type"] = "plain_text_input", ["value"] = "30" } },
        };
        var late = await world.Driver.ViewSubmission(RoleHolder, modal, values);
        Assert.Equal("errors", late.Body?["response_action"]?.ToString());
        Assert.Equal("Sorry, only the commander (@bo), the point person (@ana), a role holder (@flo comms) or an admin (@ed) can schedule the " +
                     "post-mortem meeting. Ask one of them.", late.Body?["errors"]?["date"]?.ToString());
        Assert.False(modal.Closed);
        Assert.False(await world.Scalar<bool>("select exists (select 1 from postmortem_meetings where incident_id = @Id and starts_at is not null)", new { c.Id }));

        var own = await world.Click(Member, null, DraftPostmortemJob.PickTimeAction, $"{c.Id}");
        await world.OpenedModal(own);
        var hers = world.Slack.Views.Single(v => v.TriggerId == own.TriggerId);
        var scheduled = await world.Driver.ViewSubmission(Member, hers, values);
        Assert.Null(scheduled.Body?["response_action"]);
        Assert.True(await world.Scalar<bool>("select exists (select 1 from postmortem_meetings where incident_id = @Id and scheduled_by = @Member)", new { c.Id, Member }));
    }

    [Fact]
    public async Task ItemEditModal_OpenedByTheOwner_SavedAfterTheItemWasReassigned_IsRefused_NamingTheNewOwner()
    {
        var c = await world.NewCase(State.Open);
        var click = await world.Click(Owner, c.ChannelId, ActionItemBlocks.Edit, $"{c.ItemId}:1");
        await world.OpenedModal(click);
        var modal = world.Slack.Views.Single(v => v.TriggerId == click.TriggerId);

        var reassign = await world.Click(PointPerson, c.ChannelId, ActionItemBlocks.Reassign, null, blockId: $"action_item:{c.ItemId}:1", selectedUser: Member);
        await world.Eventually("select (select owner_id = @Member from action_items where id = @ItemId)", new { c.ItemId, Member }, "the reassignment");

        var late = await world.Driver.ViewSubmission(Owner, modal, new JsonObject
        {
            ["text"] = new JsonObject { ["text"] = new JsonObject { ["type"] = "plain_text_input", ["value"] = "Add two canaries" } },
            ["owner"] = new JsonObject { ["owner"] = new JsonObject { ["type"] = "users_select", ["selected_user"] = Owner } },
        });
        Assert.Equal("errors", late.Body?["response_action"]?.ToString());
        Assert.StartsWith("Sorry, only the item's owner (@flo), the post-mortem's point person (@ana) or an admin (@ed) can change it.",
            late.Body?["errors"]?["text"]?.ToString());
        Assert.Equal("Add a canary|" + Member, await world.Scalar<string>("select text || '|' || owner_id from action_items where id = @ItemId", new { c.ItemId }));
    }
}
