using System.Text.Json.Nodes;
using Bot.ActionItems;
using Bot.Documents;
using Bot.Slack.Testing;
using Bot.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using static Bot.Tests.ActionItems.ActionItemsWorld;

namespace Bot.Tests.ActionItems;

/// <summary>Items made both ways (/postmortem action, a :memo: reaction), listed, edited in the modal, and in the document.</summary>
public sealed class ActionItemCommandTests(ActionItemsWorld world) : IClassFixture<ActionItemsWorld>
{
    private sealed class ItemRow
    {
        public string Text { get; set; } = "";
        public string? OwnerId { get; set; }
        public string? DueOn { get; set; }
        public DateTime? DueAt { get; set; }
        public string? Link { get; set; }
        public string Status { get; set; } = "";
        public int Version { get; set; }
    }

    private async Task<ItemRow> Row(long id)
    {
        await using var c = await Open(world.ConnectionString);
        return await c.QuerySingleAsync<ItemRow>(
            "select text, owner_id, to_char(due_on, 'YYYY-MM-DD') as due_on, due_at, link, status, version from action_items where id = @id", new { id });
    }

    [Fact]
    public async Task Action_CreatesItem_WithOwnerDueInTheCallersZoneAndLink_AnnouncedInChannelWithEdit()
    {
        var owner = world.NewOwner("Europe/Berlin");
        // Monday 23:30 UTC: still Monday in New York (Bob), already Tuesday in Berlin.
        world.At(world.Next(DayOfWeek.Monday).AddHours(23.5));
        var reply = await world.Command($"action Add alerting on 502s <!channel> {Mention(owner)} due tomorrow link <https://example.com/t/1>", Bob);

        Assert.Equal("in_channel", reply.ResponseType);
        Assert.Contains($"<@{owner}>", reply.Text);
        Assert.DoesNotContain("<!channel>", reply.Body!.ToJsonString());
        Assert.Contains("@channel", reply.Text);
        Assert.Contains(ActionItemBlocks.Edit, reply.Body!["blocks"]!.ToJsonString());
        var id = await Scalar<long>(world.ConnectionString, "select max(id) from action_items");
        var row = await Row(id);
        Assert.Equal($"Add alerting on 502s <!channel>", row.Text);
        Assert.Equal(owner, row.OwnerId);
        var tuesday = world.Clock.GetUtcNow().UtcDateTime.Date.AddDays(1);
        Assert.Equal(tuesday.ToString("yyyy-MM-dd"), row.DueOn);
        // The end of Tuesday in New York, where Bob said "tomorrow".
        Assert.Equal(tuesday.AddDays(1).AddHours(5), row.DueAt);
        Assert.Equal("https://example.com/t/1", row.Link);
    }

    [Theory]
    [InlineData("action Fix it <@U0BOB|bob> due banana", "can't read the due date")]
    [InlineData("action <@U0BOB|bob>", "What is the action item")]
    [InlineData("action Fix it <@U0BOB|bob> due 2020-01-01", "in the past")]
    [InlineData("action", "Usage")]
    public async Task Action_BadInput_GetsAnEphemeralReason_AndStoresNothing(string text, string message)
    {
        var before = await Scalar<long>(world.ConnectionString, "select count(*) from action_items");
        var reply = await world.Command(text, Bob);
        Assert.Equal("ephemeral", reply.ResponseType);
        Assert.Contains(message, reply.Text);
        Assert.Equal(before, await Scalar<long>(world.ConnectionString, "select count(*) from action_items"));
    }

    [Fact]
    public async Task Action_OutsideAnIncidentChannel_SaysWhere()
    {
        var reply = await world.Command("action Fix it", Bob, channelId: "C0NOTINC");
        Assert.Contains("incident channel", reply.Text);
    }

    [Fact]
    public async Task MemoReaction_BecomesAnItemWithoutOwner_ListedOnce_InTheDocument_AndGoesWhenUnmarked()
    {
        var (message, _) = await world.Driver.UserMessage(world.Incident.ChannelId, Bob, "We need a &lt;b&gt;canary&lt;/b&gt; &amp; a rollback button");
        var reaction = new JsonObject
        {
            ["type"] = "reaction_added", ["user"] = Cat, ["reaction"] = "memo", ["item_user"] = Bob, ["event_ts"] = message.Ts + "1",
            ["item"] = new JsonObject { ["type"] = "message", ["channel"] = world.Incident.ChannelId, ["ts"] = message.Ts },
        };
        await world.Driver.Event(reaction);
        await Poll.Until(() => Scalar<long>(world.ConnectionString, "select count(*) from timeline_reactions where slack_ts = @Ts and section = 'action_items'",
            new { message.Ts }), n => n == 1, what: "the :memo: mark");

        var list = await world.Command("actions", Ada);
        var again = await world.Command("actions", Cat);
        Assert.Equal("ephemeral", list.ResponseType);
        var blocks = list.Body!["blocks"]!.ToJsonString();
        Assert.Contains("canary", blocks);
        Assert.Contains("no owner yet", blocks);
        Assert.Equal(list.Body!["blocks"]!.AsArray().Count, again.Body!["blocks"]!.AsArray().Count);
        Assert.Equal(1, await Scalar<long>(world.ConnectionString, "select count(*) from action_items where slack_ts = @Ts", new { message.Ts }));

        using (var scope = world.App.Services.CreateScope())
        {
            var doc = await scope.ServiceProvider.GetRequiredService<DocumentBuilder>().Build(world.Incident.Id, null, default);
            var item = Assert.Single(doc!.ActionItems, i => i.Text.Contains("canary"));
            Assert.Equal("We need a <b>canary</b> & a rollback button", item.Text);
            Assert.Null(item.Owner);
            Assert.Equal("open", item.Status);
        }

        reaction["type"] = "reaction_removed";
        reaction["event_ts"] = message.Ts + "2";
        await world.Driver.Event(reaction);
        await Poll.Until(() => Scalar<long>(world.ConnectionString, "select count(*) from timeline_reactions where slack_ts = @Ts", new { message.Ts }),
            n => n == 0, what: "the mark to go");
        var after = await world.Command("actions", Ada);
        Assert.DoesNotContain("canary", after.Body!["blocks"]!.ToJsonString());
        Assert.Equal(0, await Scalar<long>(world.ConnectionString, "select count(*) from action_items where slack_ts = @Ts", new { message.Ts }));
    }

    [Fact]
    public async Task EditModal_ChangesTextOwnerDueAndLink_OnlyForOwnerOrPointPerson()
    {
        var owner = world.NewOwner("America/New_York");
        world.At(world.Next(DayOfWeek.Tuesday).AddHours(12));
        var id = await world.Add($"Write the runbook {Mention(owner)} due fri");
        var value = $"{id}:1";

        // A bystander gets a polite no, and no modal.
        var views = world.Slack.Views.Count;
        var refused = await world.ClickInReply(Cat, ActionItemBlocks.Edit, value);
        Assert.Contains("only the item's owner", await world.Answer(refused, "Sorry"));
        Assert.Equal(views, world.Slack.Views.Count);

        await world.ClickInReply(owner, ActionItemBlocks.Edit, value);
        var view = await Poll.Until(() => Task.FromResult(world.Slack.Views.LastOrDefault(v =>
            v.Definition["callback_id"]?.ToString() == ActionItemEditModal.CallbackId && v.Definition["private_metadata"]?.ToString() == value)),
            v => v is not null, what: "the edit modal");
        Assert.Contains("Write the runbook", view!.Definition.ToJsonString());
        Assert.Contains($"\"initial_user\":\"{owner}\"", view.Definition.ToJsonString());

        var values = JsonNode.Parse("""
            {"text": {"text": {"type": "plain_text_input", "value": "Write & review the <runbook>"}},
             "owner": {"owner": {"type": "users_select", "selected_user": "BOB"}},
             "due": {"due": {"type": "datepicker", "selected_date": "2027-01-15"}},
             "link": {"link": {"type": "plain_text_input", "value": "https://example.com/runbook"}}}
            """.Replace("BOB", Bob))!.AsObject();
        var saved = await world.Driver.ViewSubmission(owner, view, values);
        Assert.Equal(200, saved.HttpStatus);
        Assert.DoesNotContain("errors", saved.RawBody);
        var row = await Row(id);
        Assert.Equal("Write &amp; review the &lt;runbook&gt;", row.Text);
        Assert.Equal(Bob, row.OwnerId);
        Assert.Equal("2027-01-15", row.DueOn);
        Assert.Equal(new DateTime(2027, 1, 16, 5, 0, 0), row.DueAt); // the end of that day in New York, the editor's zone
        Assert.Equal("https://example.com/runbook", row.Link);
        Assert.Equal(2, row.Version);

        // The same form submitted again (Slack retried, or a double click) changes nothing more.
        await world.Driver.ViewSubmission(owner, view, values);
        Assert.Equal(2, (await Row(id)).Version);
        // The new owner is told at once, once.
        bool ForThis(FakeMessage m) => (m.Text ?? "").Contains("made you the owner") && BlocksText(m).Contains("review the", StringComparison.Ordinal);
        await Poll.Until(() => Task.FromResult(world.Dms(Bob).Count(ForThis)), n => n >= 1, what: "the new owner's DM");
        await Bot.Tests.Postmortems.PostmortemWorld.JobsDone(world.App, world.ConnectionString, "ReassignedJob");
        Assert.Single(world.Dms(Bob), ForThis);

        // The old owner is no longer allowed; a stale form says it changed.
        var bad = values.DeepClone().AsObject();
        bad["text"]!["text"]!["value"] = "Something else";
        var stale = await world.Driver.ViewSubmission(owner, view, bad);
        Assert.Contains("Sorry, only the item", stale.RawBody);
        var staleForPointPerson = await world.Driver.ViewSubmission(Ada, view, bad);
        Assert.Contains("changed since", staleForPointPerson.RawBody);
        Assert.Equal("Write &amp; review the &lt;runbook&gt;", (await Row(id)).Text);
    }

    [Fact]
    public async Task ActionsMine_ListsTheCallersOpenItemsAcrossIncidents_AndTheDocumentShowsOwnerDueStatus()
    {
        var owner = world.NewOwner("Europe/Berlin");
        world.At(world.Next(DayOfWeek.Wednesday).AddHours(10));
        await world.Add($"Rotate the TLS certs {Mention(owner)} due 2027-02-01");
        await world.Add($"Add a dashboard {Mention(owner)}");

        var mine = await world.Command("actions mine", owner, channelId: "D0ANYWHERE");
        var blocks = mine.Body!["blocks"]!.ToJsonString();
        Assert.Contains("Your open action items", mine.Text);
        Assert.Contains("Rotate the TLS certs", blocks);
        Assert.Contains("Add a dashboard", blocks);
        Assert.Contains($"incident #", blocks);
        Assert.Contains("no due date", blocks);
        Assert.DoesNotContain("Write the runbook", blocks);

        var none = await world.Command("actions mine", Cat, channelId: "D0ANYWHERE");
        Assert.Contains("no open action items", none.Text);

        using var scope = world.App.Services.CreateScope();
        var doc = await scope.ServiceProvider.GetRequiredService<DocumentBuilder>().Build(world.Incident.Id, null, default);
        var certs = Assert.Single(doc!.ActionItems, i => i.Text == "Rotate the TLS certs");
        Assert.Equal(owner, certs.OwnerId);
        Assert.Equal(world.Slack.Users.Single(u => u.Id == owner).RealName, certs.Owner);
        Assert.Equal("2027-02-01", certs.Due);
        Assert.Equal("open", certs.Status);
    }

    [Fact]
    public async Task HomeTab_ListsTheOwnersOpenItems_AndNothingForOthers()
    {
        var owner = world.NewOwner("Europe/Berlin");
        world.At(world.Next(DayOfWeek.Thursday).AddHours(10));
        await world.Add($"Home tab item {Mention(owner)} due tomorrow");
        foreach (var user in new[] { owner, Cat })
            await world.Driver.Event(new JsonObject
            {
                ["type"] = "app_home_opened", ["user"] = user, ["channel"] = "D0HOME" + user[^3..], ["tab"] = "home", ["event_ts"] = "1700000000.000200",
            });
        var home = await Poll.Until(() => Task.FromResult(world.Slack.HomeView(owner)), v => v is not null, what: "the owner's Home tab");
        Assert.Contains("Your open action items (1)", home!.Definition.ToJsonString());
        Assert.Contains("Home tab item", home.Definition.ToJsonString());
        var other = await Poll.Until(() => Task.FromResult(world.Slack.HomeView(Cat)), v => v is not null, what: "Cat's Home tab");
        Assert.DoesNotContain("Your open action items", other!.Definition.ToJsonString());
    }
}
