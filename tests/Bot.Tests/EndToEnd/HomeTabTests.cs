using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bot.ActionItems;
using Bot.Slack.Testing;
using Bot.Tests.ActionItems;
using Bot.Tests.Infrastructure;
using static Bot.Tests.ActionItems.ActionItemsWorld;

namespace Bot.Tests.EndToEnd;

/// <summary>A person's Home tab: their incidents, meetings and items, its Done and Snooze buttons, and the
/// republishing when what it shows changes (only for people who have opened it).</summary>
public sealed class HomeTabTests(ActionItemsWorld world) : IClassFixture<ActionItemsWorld>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private string General => world.Slack.Channels.First(c => c.Name == "general").Id;

    private async Task OpenHome(string user) =>
        Assert.True((await world.Driver.Event(new JsonObject
        {
            ["type"] = "app_home_opened", ["user"] = user, ["channel"] = "D0" + user[2..], ["tab"] = "home",
            ["event_ts"] = $"{world.Clock.GetUtcNow().ToUnixTimeSeconds()}.000100",
        })).IsSuccess);

    private static string Text(RecordedCall publish) =>
        JsonNode.Parse(publish.Args.Str("view")!)!.ToJsonString(new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    private Task<RecordedCall> WaitForHome(string user, Func<string, bool> shows, string what) =>
        world.Slack.WaitForCall("views.publish", c => c.Args.Str("user_id") == user && c.Ok && shows(Text(c)), Deadline)
            .WaitAsync(Deadline, CancellationToken.None)
            .ContinueWith(t => t.IsCompletedSuccessfully ? t.Result : throw new TimeoutException($"{user}'s Home never showed {what}"));

    private async Task<string> OpenIncident(string title, string by)
    {
        Assert.Equal(200, (await world.Driver.SlashCommand("/incident", $"new {title} sev3", by, General)).HttpStatus);
        return await Poll.Until(() => Scalar<string?>(world.ConnectionString,
            "select channel_id from incidents where title = @title and reporter_told_at is not null", new { title }), c => c is not null, Deadline, title)
            ?? throw new InvalidOperationException();
    }

    [Fact]
    public async Task Home_ListsTheUsersIncidents_Meetings_AndItemsWithButtons_InTheirZone()
    {
        var owner = world.NewOwner("America/New_York");
        var openChannel = await OpenIncident("Disk full on db-7", owner);
        var incident = await world.Resolve(General, "Queue backlog");
        await world.Command($"action Add a queue depth alert {Mention(owner)} due 2026-12-20", Ada, incident.ChannelId);
        var itemId = await Scalar<long>(world.ConnectionString, "select id from action_items where text like 'Add a queue depth alert%'");
        await world.Command($"invite {Mention(owner)}", Ada, incident.ChannelId);
        // Ada is in Berlin: 14:00 there is 13:00 UTC, 08:00 in New York.
        var scheduled = await world.Command("schedule 2026-12-09 14:00", Ada, incident.ChannelId);
        Assert.Contains("scheduled", scheduled.Text, StringComparison.OrdinalIgnoreCase);

        await OpenHome(owner);

        var view = Text(await WaitForHome(owner, v => v.Contains("Your open action items"), "the item"));
        Assert.Contains("Your open incidents", view);
        Assert.Contains("#", view);
        Assert.Contains("Disk full on db-7", view);
        Assert.Contains($"<#{openChannel}>", view);
        Assert.Contains("you: commander", view);
        Assert.Contains("Your upcoming post-mortem meetings", view);
        Assert.Contains("Wed 9 Dec 2026, 08:00 (America/New_York)", view);
        Assert.Contains($"Post-mortem of #", view);
        Assert.Contains($"<#{incident.ChannelId}>", view);
        Assert.Contains("Your open action items (1)", view);
        Assert.Contains("Add a queue depth alert", view);
        var home = world.Slack.HomeView(owner)!;
        var buttons = home.Definition["blocks"]!.AsArray().SelectMany(b => b!["elements"] as JsonArray ?? []).Select(e => e!["action_id"]?.ToString()).ToList();
        Assert.Contains(ActionItemBlocks.Done, buttons);
        Assert.Contains(ActionItemBlocks.SnoozeDay, buttons);
        Assert.Contains(ActionItemBlocks.SnoozeWeek, buttons);
        Assert.Contains($"\"value\":\"{itemId}:1\"", home.Definition.ToJsonString());
        // The workspace's list is still there, below.
        Assert.Contains("\"Open incidents\"", view);
    }

    private async Task<(string Owner, long Item, FakeView Home)> OwnerWithItemOnHome(string text)
    {
        var owner = world.NewOwner("Etc/UTC");
        var item = await world.Add($"{text} {Mention(owner)} due 2026-12-21");
        await OpenHome(owner);
        await WaitForHome(owner, v => v.Contains(text), text);
        return (owner, item, world.Slack.HomeView(owner)!);
    }

    private Task<AppReply> ClickOnHome(string user, FakeView home, string actionId, long item, int version) =>
        world.Driver.BlockActionInView(user, home, actionId, new JsonObject { ["type"] = "button", ["value"] = $"{item}:{version}" });

    [Fact]
    public async Task DoneOnHome_ClosesTheItem_AndRepublishesHome_WithTheAnswer()
    {
        var (owner, item, home) = await OwnerWithItemOnHome("Rotate the pager secret");
        var before = world.Slack.CallsTo("views.publish").Count(c => c.Args.Str("user_id") == owner);

        Assert.True((await ClickOnHome(owner, home, ActionItemBlocks.Done, item, 1)).IsSuccess);

        var view = Text(await WaitForHome(owner, v => v.Contains("Marked done"), "the done notice"));
        Assert.Contains(":white_check_mark: Marked done: *Rotate the pager secret", view);
        Assert.DoesNotContain("Your open action items", view);
        Assert.Equal("done", await Scalar<string>(world.ConnectionString, "select status from action_items where id = @item", new { item }));
        Assert.True(world.Slack.CallsTo("views.publish").Count(c => c.Args.Str("user_id") == owner) > before);

        // The same click again (Slack retries, a double click): nothing changes, and Home says so.
        Assert.True((await ClickOnHome(owner, home, ActionItemBlocks.Done, item, 1)).IsSuccess);
        var again = Text(await WaitForHome(owner, v => v.Contains("Already done"), "the repeat notice"));
        Assert.DoesNotContain("Marked done", again);
        Assert.Equal(2, await Scalar<int>(world.ConnectionString, "select version from action_items where id = @item", new { item }));
    }

    [Fact]
    public async Task SnoozeOnHome_ThenAStaleDone_KeepsTheSnooze_AndSaysItChanged()
    {
        var (owner, item, home) = await OwnerWithItemOnHome("Document the failover");

        Assert.True((await ClickOnHome(owner, home, ActionItemBlocks.SnoozeWeek, item, 1)).IsSuccess);
        var view = Text(await WaitForHome(owner, v => v.Contains(":zzz: Snoozed until"), "the snooze notice"));
        Assert.Contains("snoozed until", view);

        // Done from the view as it was before the snooze: the item changed since, so nothing is done.
        Assert.True((await ClickOnHome(owner, home, ActionItemBlocks.Done, item, 1)).IsSuccess);
        await WaitForHome(owner, v => v.Contains("changed since"), "the stale notice");
        Assert.Equal("open", await Scalar<string>(world.ConnectionString, "select status from action_items where id = @item", new { item }));
        Assert.NotNull(await Scalar<DateTime?>(world.ConnectionString, "select snoozed_until from action_items where id = @item", new { item }));
    }

    [Fact]
    public async Task SchedulingAMeeting_RefreshesTheInviteesHome_ButNotOfThoseWhoNeverOpenedIt()
    {
        var watcher = world.NewOwner("Europe/Berlin");
        var stranger = world.NewOwner("Europe/Berlin");
        var incident = await world.Resolve(General, "Cache stampede");
        await world.Command($"invite {Mention(watcher)} {Mention(stranger)}", Ada, incident.ChannelId);
        await OpenHome(watcher);
        await WaitForHome(watcher, v => v.Contains("\"Open incidents\""), "a first view");
        Assert.DoesNotContain("Cache stampede", Text(world.Slack.CallsTo("views.publish").Last(c => c.Args.Str("user_id") == watcher)));

        await world.Command("schedule 2026-12-10 15:00", Ada, incident.ChannelId);

        var view = Text(await WaitForHome(watcher, v => v.Contains("Post-mortem of #") && v.Contains("Cache stampede"), "the meeting"));
        Assert.Contains("Thu 10 Dec 2026, 15:00 (Europe/Berlin)", view);

        // Cancelled: it leaves the watcher's Home again.
        await world.Command("cancel", Ada, incident.ChannelId);
        await WaitForHome(watcher, v => !v.Contains("Cache stampede"), "the meeting gone");

        Assert.DoesNotContain(world.Slack.CallsTo("views.publish"), c => c.Args.Str("user_id") == stranger);
    }

    [Fact]
    public async Task ResolvingAnIncident_TakesItOffItsCommandersHome()
    {
        var commander = world.NewOwner("Etc/UTC");
        var channel = await OpenIncident("Login loop on mobile", commander);
        await OpenHome(commander);
        await WaitForHome(commander, v => v.Contains("Your open incidents") && v.Contains("Login loop on mobile"), "the incident");

        Assert.Equal(200, (await world.Driver.SlashCommand("/incident", "resolve Rolled back", commander, channel)).HttpStatus);

        var view = Text(await WaitForHome(commander, v => !v.Contains("Login loop on mobile"), "the incident gone"));
        Assert.DoesNotContain("Your open incidents", view);
    }

    [Fact]
    public async Task OpeningAndReopeningAnIncident_PutsItOnItsCommandersHome_WithoutTheirOpeningHomeAgain()
    {
        var commander = world.NewOwner("Etc/UTC");
        await OpenHome(commander);
        await WaitForHome(commander, v => !v.Contains("Your open incidents"), "a Home without incidents of theirs");

        var channel = await OpenIncident("Invoices stuck in queue", commander);
        await WaitForHome(commander, v => v.Contains("Your open incidents") && v.Contains("Invoices stuck in queue"), "the new incident");

        Assert.Equal(200, (await world.Driver.SlashCommand("/incident", "resolve Drained", commander, channel)).HttpStatus);
        await WaitForHome(commander, v => !v.Contains("Invoices stuck in queue"), "the incident gone");
        Assert.Equal(200, (await world.Driver.SlashCommand("/incident", "reopen Backlog again", commander, channel)).HttpStatus);
        await WaitForHome(commander, v => v.Contains("Your open incidents") && v.Contains("Invoices stuck in queue"), "the reopened incident");
    }

    [Fact]
    public async Task ARoleInAnIncident_PutsItOnTheRoleHoldersHome()
    {
        var commander = world.NewOwner("Etc/UTC");
        var holder = world.NewOwner("Etc/UTC");
        var channel = await OpenIncident("Search results empty", commander);
        await OpenHome(holder);
        await WaitForHome(holder, v => v.Contains("Search results empty"), "the workspace's list");
        Assert.DoesNotContain("Your open incidents", Text(world.Slack.CallsTo("views.publish").Last(c => c.Args.Str("user_id") == holder)));

        Assert.Equal(200, (await world.Driver.SlashCommand("/incident", $"role comms {Mention(holder)}", commander, channel)).HttpStatus);

        var view = Text(await WaitForHome(holder, v => v.Contains("Your open incidents"), "the incident as theirs"));
        Assert.Contains("you: comms", view);
    }

    [Fact]
    public async Task ABurstOfChanges_IsOneRefreshJob_AndThePublishShowsThemAll()
    {
        var owner = world.NewOwner("Etc/UTC");
        await OpenHome(owner);
        await WaitForHome(owner, v => v.Contains("\"Open incidents\""), "a first view");
        int Jobs() => Scalar<int>(world.ConnectionString,
            $"select count(*) from {world.App.HangfireSchema}.job where invocationdata::text like '%HomeRefreshJob%' and arguments::text like '%' || @owner || '%'",
            new { owner }).GetAwaiter().GetResult();
        Assert.Equal(0, Jobs());

        // Five items for the owner in a row: each asks for a refresh of the owner's Home within the coalescing delay.
        for (var i = 1; i <= 5; i++)
            await world.Add($"Burst task {i} {Mention(owner)} due 2026-12-22");

        var view = Text(await WaitForHome(owner, v => v.Contains("Burst task 5"), "the fifth item"));
        Assert.Contains("Your open action items (5)", view);
        // Fewer jobs than changes: one per delay window (one or two here, unless the machine is slow enough that every
        // command takes longer than the delay).
        Assert.InRange(Jobs(), 1, 4);
    }

    [Fact]
    public async Task ManyItems_AreCut_WithHowManyMore_UnderSlacksBlockLimit()
    {
        var owner = world.NewOwner("Etc/UTC");
        for (var i = 1; i <= HomeActionItems.MaxListed + 3; i++)
            await world.Add($"Chore number {i} {Mention(owner)} due 2026-12-2{i % 9}");
        await OpenHome(owner);
        var publish = await WaitForHome(owner, v => v.Contains("Your open action items"), "the items");
        var view = Text(publish);
        Assert.Contains($"Your open action items ({HomeActionItems.MaxListed + 3})", view);
        Assert.Contains("…and 3 more", view);
        var blocks = JsonNode.Parse(publish.Args.Str("view")!)!["blocks"]!.AsArray();
        Assert.True(blocks.Count <= 100, $"{blocks.Count} blocks");
        Assert.Equal(HomeActionItems.MaxListed, blocks.Count(b => b!["type"]!.ToString() == "actions"));
    }
}
