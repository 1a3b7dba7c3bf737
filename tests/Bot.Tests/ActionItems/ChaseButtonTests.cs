using System.Text.Json.Nodes;
using Bot.ActionItems;
using Bot.Slack.Testing;
using Bot.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Bot.Tests.ActionItems.ActionItemsWorld;

namespace Bot.Tests.ActionItems;

/// <summary>Each button of the chase DM: its effect, by the wrong person, twice, on a message gone stale; the
/// all-settled notice; chasing after the incident is closed.</summary>
public sealed class ChaseButtonTests(ActionItemsWorld world) : IClassFixture<ActionItemsWorld>
{
    private async Task<(string Owner, long[] Ids, FakeMessage Dm)> Chased(string tz, params string[] texts)
    {
        var owner = world.NewOwner(tz);
        var day = world.Next(DayOfWeek.Tuesday);
        world.At(day.AddHours(6));
        var ids = new List<long>();
        foreach (var t in texts) ids.Add(await world.Add($"{t} {Mention(owner)} due tomorrow"));
        world.At(day.AddHours(20)); // 09:30 has passed in every zone used here
        await world.ChaseRun();
        return (owner, ids.ToArray(), await world.WaitForChase(owner));
    }

    private Task<string> Status(long id) => Scalar<string>(world.ConnectionString, "select status from action_items where id = @id", new { id });

    [Fact]
    public async Task Done_ByTheOwner_Once_ClickedTwiceSaysSo_ByABystanderPolitelyRefused()
    {
        var (owner, ids, dm) = await Chased("Etc/UTC", "Done button item", "Stays open");
        var value = ValueOf(dm, ActionItemBlocks.Done, ids[0]);

        var bystander = await world.Click(Cat, dm, ActionItemBlocks.Done, value);
        Assert.Contains("only the item's owner", await world.Answer(bystander, "Sorry"));
        Assert.Equal("open", await Status(ids[0]));

        var first = await world.Click(owner, dm, ActionItemBlocks.Done, value);
        Assert.Contains("Marked done", await world.Answer(first, "Marked done"));
        Assert.Equal("done", await Status(ids[0]));
        var second = await world.Click(owner, dm, ActionItemBlocks.Done, value);
        Assert.Contains("used before", await world.Answer(second, "Already done"));
        Assert.Equal(2, await Scalar<int>(world.ConnectionString, "select version from action_items where id = @id", new { id = ids[0] }));
        Assert.Equal("open", await Status(ids[1]));
    }

    [Fact]
    public async Task TheDmsButtons_WorkOnAnotherProcess_AsAfterARestart()
    {
        var (owner, ids, dm) = await Chased("Etc/UTC", "Restart proof");
        // A fresh app knows nothing in memory: the button's value and the database are all it has.
        await using var restarted = await world.StartApp(world.App.HangfireSchema);
        var driver = world.Slack.OverHttp(restarted.BaseAddress.ToString(), BotApp.SigningSecret, world.Clock);
        var click = await world.Click(owner, dm, ActionItemBlocks.Done, ValueOf(dm, ActionItemBlocks.Done, ids[0]), driver: driver);
        Assert.Contains("Restart proof", await world.Answer(click, "Marked done"));
        Assert.Equal("done", await Status(ids[0]));
    }

    [Fact]
    public async Task Snooze_HidesTheItemUntilThatManyDaysFromToday_ThePointPersonMaySnoozeToo()
    {
        var (owner, ids, dm) = await Chased("America/New_York", "Snooze a day", "Snooze a week");
        var day = await world.Click(owner, dm, ActionItemBlocks.SnoozeDay, ValueOf(dm, ActionItemBlocks.SnoozeDay, ids[0]));
        Assert.Contains("Snoozed until", await world.Answer(day, "Snoozed"));
        var week = await world.Click(Ada, dm, ActionItemBlocks.SnoozeWeek, ValueOf(dm, ActionItemBlocks.SnoozeWeek, ids[1]));
        await world.Answer(week, "Snoozed");
        // Tuesday 20:00 UTC is 15:00 in New York (the owner's click): until Wednesday 00:00 there. Ada clicked in Berlin.
        var tuesday = world.Clock.GetUtcNow().UtcDateTime.Date;
        Assert.Equal(tuesday.AddDays(1).AddHours(5), await Scalar<DateTime>(world.ConnectionString,
            "select snoozed_until from action_items where id = @id", new { id = ids[0] }));
        Assert.Equal(tuesday.AddDays(7).AddHours(-1), await Scalar<DateTime>(world.ConnectionString,
            "select snoozed_until from action_items where id = @id", new { id = ids[1] }));

        // Wednesday's chase lists the day-snoozed one again, not the week-snoozed one.
        world.At(new DateTimeOffset(tuesday.AddDays(1).AddHours(15), TimeSpan.Zero));
        await world.ChaseRun();
        var next = BlocksText(await world.WaitForChase(owner, 2));
        Assert.Contains("Snooze a day", next);
        Assert.DoesNotContain("Snooze a week", next);
    }

    [Fact]
    public async Task WontDo_AsksWhy_DropsWithTheReason_AndReassign_MakesTheOldMessageStale()
    {
        var (owner, ids, dm) = await Chased("Etc/UTC", "Drop me", "Give me away");
        var newOwner = world.NewOwner("Etc/UTC");

        // Reassign through the user picker: the new owner is chased from now on; the old DM's buttons are outdated.
        var blockId = "action_item:" + ValueOf(dm, ActionItemBlocks.Done, ids[1]);
        var moved = await world.Click(owner, dm, ActionItemBlocks.Reassign, null, blockId, selectedUser: newOwner);
        Assert.Contains($"<@{newOwner}>", await world.Answer(moved, "Reassigned"));
        var stale = await world.Click(owner, dm, ActionItemBlocks.Done, ValueOf(dm, ActionItemBlocks.Done, ids[1]));
        Assert.Contains("only the item's owner", await world.Answer(stale, "Sorry"));
        var staleForPointPerson = await world.Click(Ada, dm, ActionItemBlocks.Done, ValueOf(dm, ActionItemBlocks.Done, ids[1]));
        Assert.Contains("changed since", await world.Answer(staleForPointPerson, "changed since"));
        Assert.Equal("open", await Status(ids[1]));

        var wontDo = ValueOf(dm, ActionItemBlocks.WontDo, ids[0]);
        await world.Click(owner, dm, ActionItemBlocks.WontDo, wontDo);
        var view = await Poll.Until(() => Task.FromResult(world.Slack.Views.LastOrDefault(v =>
            v.Definition["callback_id"]?.ToString() == ActionItemWontDoModal.CallbackId && v.Definition["private_metadata"]?.ToString() == wontDo)),
            v => v is not null, what: "the won't-do modal");
        var empty = await world.Driver.ViewSubmission(owner, view!, JsonNode.Parse("""{"reason": {"reason": {"type": "plain_text_input", "value": " "}}}""")!.AsObject());
        Assert.Contains("Say why", empty.RawBody);
        var values = JsonNode.Parse("""{"reason": {"reason": {"type": "plain_text_input", "value": "The service is being retired"}}}""")!.AsObject();
        Assert.DoesNotContain("errors", (await world.Driver.ViewSubmission(owner, view!, values)).RawBody);
        Assert.DoesNotContain("errors", (await world.Driver.ViewSubmission(owner, view!, values)).RawBody); // twice: once
        Assert.Equal("dropped", await Status(ids[0]));
        Assert.Equal("The service is being retired", await Scalar<string>(world.ConnectionString,
            "select drop_reason from action_items where id = @id", new { id = ids[0] }));
        Assert.Equal(2, await Scalar<int>(world.ConnectionString, "select version from action_items where id = @id", new { id = ids[0] }));
    }

    [Fact]
    public async Task Reassign_TellsTheNewOwnerAtOnce_Once_AndNobodyWhoPicksThemselves()
    {
        var (owner, ids, dm) = await Chased("Etc/UTC", "Hand this over");
        var newOwner = world.NewOwner("Etc/UTC");
        var blockId = "action_item:" + ValueOf(dm, ActionItemBlocks.Done, ids[0]);
        await world.Answer(await world.Click(owner, dm, ActionItemBlocks.Reassign, null, blockId, selectedUser: newOwner), "Reassigned");
        var told = await Poll.Until(() => Task.FromResult(world.Dms(newOwner, "made you the owner")), l => l.Count >= 1, what: "the new owner's DM");
        Assert.Contains($"<@{owner}>", told[0].Text);
        Assert.Contains("Hand this over", BlocksText(told[0]));
        Assert.Contains(ActionItemBlocks.Done, told[0].Blocks?.ToJsonString() ?? "");

        // The same pick again (Slack retried) is a repeat: no second DM.
        await world.Answer(await world.Click(owner, dm, ActionItemBlocks.Reassign, null, blockId, selectedUser: newOwner), "Already");
        // The new owner hands it on from the DM they got; a point person who takes it for herself is not told.
        var third = world.NewOwner("Etc/UTC");
        var fromDm = "action_item:" + ValueOf(told[0], ActionItemBlocks.Done, ids[0]);
        await world.Answer(await world.Click(newOwner, told[0], ActionItemBlocks.Reassign, null, fromDm, selectedUser: third), "Reassigned");
        var toThird = await Poll.Until(() => Task.FromResult(world.Dms(third, "made you the owner")), l => l.Count >= 1, what: "the third owner's DM");
        Assert.Contains($"<@{newOwner}>", toThird[0].Text);
        await world.Answer(await world.Click(Ada, toThird[0], ActionItemBlocks.Reassign, null,
            "action_item:" + ValueOf(toThird[0], ActionItemBlocks.Done, ids[0]), selectedUser: Ada), "Reassigned");
        Assert.Equal(Ada, await Scalar<string>(world.ConnectionString, "select owner_id from action_items where id = @id", new { id = ids[0] }));

        await Bot.Tests.Postmortems.PostmortemWorld.JobsDone(world.App, world.ConnectionString, "ReassignedJob");
        Assert.Single(world.Dms(newOwner, "made you the owner"));
        Assert.Single(world.Dms(third, "made you the owner"));
        Assert.Empty(world.Dms(Ada, "made you the owner"));
    }

    [Fact]
    public async Task LastItemSettled_ChannelAndPointPersonAreToldOnce_ChasingWentOnAfterTheIncidentClosed()
    {
        // The incident was resolved in the world's set-up, before any of these items existed.
        Assert.Equal("resolved", await Scalar<string>(world.ConnectionString, "select status from incidents where id = @Id", new { world.Incident.Id }));
        await world.Quiet();
        var (owner, ids, dm) = await Chased("Europe/Berlin", "Settle one", "Settle two");
        Assert.DoesNotContain(world.Slack.Messages(world.Incident.ChannelId), m => m.Text?.Contains("is settled") == true);

        await world.Answer(await world.Click(owner, dm, ActionItemBlocks.Done, ValueOf(dm, ActionItemBlocks.Done, ids[0])), "Marked done");
        await world.Click(owner, dm, ActionItemBlocks.WontDo, ValueOf(dm, ActionItemBlocks.WontDo, ids[1]));
        var view = await Poll.Until(() => Task.FromResult(world.Slack.Views.LastOrDefault(v =>
            v.Definition["callback_id"]?.ToString() == ActionItemWontDoModal.CallbackId && v.Definition["private_metadata"]?.ToString()?.StartsWith($"{ids[1]}:") == true)),
            v => v is not null, what: "the won't-do modal");
        await world.Driver.ViewSubmission(owner, view!, JsonNode.Parse("""{"reason": {"reason": {"type": "plain_text_input", "value": "Covered by the new LB"}}}""")!.AsObject());

        var posted = await world.Slack.WaitForMessage(world.Incident.ChannelId, m => m.Text?.Contains("is settled") == true);
        Assert.Contains("1 done, 1 dropped", posted.Text);
        await Poll.Until(() => Task.FromResult(world.Dms(Ada, "is settled").Count), n => n == 1, what: "the point person's notice");
        // A click on an old message afterwards settles nothing again and tells nobody twice.
        await world.Click(owner, dm, ActionItemBlocks.Done, ValueOf(dm, ActionItemBlocks.Done, ids[0]));
        await world.SettleChases();
        Assert.Single(world.Slack.Messages(world.Incident.ChannelId), m => m.Text?.Contains("is settled") == true);
        Assert.Single(world.Dms(Ada, "is settled"));

        // The document says so, with the day the last one was settled in the document's zone; a new item undoes it.
        var (settled, markdown, html) = await Document();
        var day = TimeZoneInfo.ConvertTime(world.Clock.GetUtcNow(), TimeZoneInfo.FindSystemTimeZoneById(settled.TimeZone))
            .ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(settled.AllActionItemsSettled);
        Assert.Equal(day, settled.ActionItemsSettledOn);
        Assert.Contains($"**All action items settled on {day}.**", markdown);
        Assert.Contains($"All action items settled on {day}.", html);
        await world.Add($"One more thing {Mention(owner)} due tomorrow");
        var (reopened, markdownAfter, _) = await Document();
        Assert.False(reopened.AllActionItemsSettled);
        Assert.Null(reopened.ActionItemsSettledOn);
        Assert.DoesNotContain("All action items settled", markdownAfter);
    }

    private async Task<(Bot.Documents.PostmortemDocument Doc, string Markdown, string Html)> Document()
    {
        using var scope = world.App.Services.CreateScope();
        var doc = (await scope.ServiceProvider.GetRequiredService<Bot.Documents.DocumentBuilder>().Build(world.Incident.Id, null, default))!;
        var renderer = scope.ServiceProvider.GetRequiredService<Bot.Rendering.DocumentRenderer>();
        return (doc, renderer.Markdown(doc), renderer.Html(doc));
    }
}
