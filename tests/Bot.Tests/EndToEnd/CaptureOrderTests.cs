using Bot.Tests.Infrastructure;
using Bot.Timeline;
using Dapper;
using static Bot.Tests.EndToEnd.IncidentWorld;

namespace Bot.Tests.EndToEnd;

/// <summary>Slack delivers concurrently and retries late: every pair of events about one message (and every order
/// of three) ends in the same stored timeline, each delivery also retried by Slack (same event_id). Capture is
/// stored before Slack is answered, so the state is read as soon as the last delivery was acknowledged.</summary>
public sealed class CaptureOrderTests(CaptureOrderWorld world) : IClassFixture<CaptureOrderWorld>
{
    private readonly long _base = world.NextBase();
    private string Channel => world.Incident.ChannelId;

    /// <summary>Slack time: seconds after this test's start.</summary>
    private string T(int seconds) => CaptureOrderWorld.Format(_base + seconds * 1_000_000L);

    private static DateTime Instant(string ts) => SlackTs.ToInstantOr(ts, default).UtcDateTime;

    public static TheoryData<bool> BothOrders => new() { false, true };

    public static TheoryData<string> EveryOrderOfThree => new() { "012", "021", "102", "120", "201", "210" };

    private async Task Deliver(bool reversed, params object[] events)
    {
        foreach (var e in reversed ? events.Reverse() : events) await world.Event(e, twice: true);
    }

    private async Task Deliver(string order, params object[] events)
    {
        foreach (var i in order) await world.Event(events[i - '0'], twice: true);
    }

    // ---- messages -------------------------------------------------------------------------------------------

    [Theory, MemberData(nameof(BothOrders))]
    public async Task MessageAndItsEdit_InEitherOrder_KeepTheEdit(bool reversed)
    {
        await Deliver(reversed, Message(T(0), "v1"), Edit(T(0), "v2", editedAt: T(10)));

        var row = await Entry(T(0));
        Assert.Equal(("v2", true, Ada), (row.Text, row.Edited, row.UserId));
        Assert.Equal(Instant(T(10)), await EditedAt(T(0)));
    }

    [Theory, MemberData(nameof(EveryOrderOfThree))]
    public async Task MessageAndTwoEdits_InAnyOrder_KeepTheNewestEdit(string order)
    {
        await Deliver(order, Message(T(0), "v1"), Edit(T(0), "v2", editedAt: T(10)), Edit(T(0), "v3", editedAt: T(20)));

        var row = await Entry(T(0));
        Assert.Equal(("v3", true), (row.Text, row.Edited));
        Assert.Equal(Instant(T(20)), await EditedAt(T(0)));
    }

    [Theory, MemberData(nameof(BothOrders))]
    public async Task UnfurlAndLaterEdit_InEitherOrder_KeepTheEdit(bool reversed)
    {
        // Slack's message_changed for an unfurl carries the text as it was then, with no edited stamp.
        await world.Event(Message(T(0), "see <https://status.example>"), twice: true);
        await Deliver(reversed, Edit(T(0), "see <https://status.example>", editedAt: null, eventTs: T(5)),
            Edit(T(0), "fixed: see <https://status.example>", editedAt: T(10)));

        var row = await Entry(T(0));
        Assert.Equal(("fixed: see <https://status.example>", true), (row.Text, row.Edited));
    }

    [Fact]
    public async Task Unfurl_IsNotAnEdit()
    {
        await Deliver(false, Message(T(0), "see <https://status.example>"), Edit(T(0), "see <https://status.example>", editedAt: null, eventTs: T(5)));

        var row = await Entry(T(0));
        Assert.Equal(("see <https://status.example>", false), (row.Text, row.Edited));
    }

    [Theory, MemberData(nameof(BothOrders))]
    public async Task MessageAndDelete_InEitherOrder_StayDeleted(bool reversed)
    {
        await Deliver(reversed, Message(T(0), "v1"), Deleted(T(0), at: T(30), previousText: "v1"));

        var row = await Entry(T(0));
        Assert.Equal(("v1", Instant(T(30))), (row.Text, row.DeletedAt));
        Assert.DoesNotContain(await world.Reader.Entries(world.Incident.Id, includeDeleted: false, default), r => r.SlackTs == T(0));
    }

    [Theory, MemberData(nameof(BothOrders))]
    public async Task EditAndDelete_InEitherOrder_StayDeleted_WithTheLastText(bool reversed)
    {
        await world.Event(Message(T(0), "v1"), twice: true);
        await Deliver(reversed, Edit(T(0), "v2", editedAt: T(10)), Deleted(T(0), at: T(30), previousText: "v2", previousEditedAt: T(10)));

        var row = await Entry(T(0));
        Assert.Equal(("v2", true, Instant(T(30))), (row.Text, row.Edited, row.DeletedAt));
    }

    [Theory, MemberData(nameof(BothOrders))]
    public async Task ChangeNewerThanTheDelete_DoesNotReviveIt(bool reversed)
    {
        await world.Event(Message(T(0), "v1"), twice: true);
        await Deliver(reversed, Deleted(T(0), at: T(30), previousText: "v1"), Edit(T(0), "v2", editedAt: T(40)));

        var row = await Entry(T(0));
        Assert.Equal(("v2", Instant(T(30))), (row.Text, row.DeletedAt));
    }

    [Theory, MemberData(nameof(EveryOrderOfThree))]
    public async Task ParentTombstoneAndDelete_InAnyOrder_DeletedAtTheFirstOfThem(string order)
    {
        // A parent with replies, deleted: first a message_changed to a tombstone, later message_deleted.
        await Deliver(order, Message(T(0), "parent"), Tombstone(T(0), at: T(30), previousText: "parent"),
            Deleted(T(0), at: T(31), previousText: "This message was deleted.", previousSubtype: "tombstone"));

        var row = await Entry(T(0));
        Assert.Equal(("parent", Instant(T(30))), (row.Text, row.DeletedAt));
    }

    [Theory, MemberData(nameof(BothOrders))]
    public async Task ThreadReplyAndItsEdit_InEitherOrder_StayInTheThread(bool reversed)
    {
        await world.Event(Message(T(0), "parent"), twice: true);
        await Deliver(reversed, Message(T(1), "reply", threadTs: T(0)), Edit(T(1), "reply, edited", editedAt: T(10), threadTs: T(0)));
        // Slack also tells of the parent's new reply count: a change that is not an edit.
        await world.Event(Edit(T(0), "parent", editedAt: null, eventTs: T(1)), twice: true);

        var reply = await Entry(T(1));
        Assert.Equal((T(0), "reply, edited", true), (reply.ThreadTs, reply.Text, reply.Edited));
        var parent = await Entry(T(0));
        Assert.Equal(((string?)null, "parent", false), (parent.ThreadTs, parent.Text, parent.Edited));
    }

    [Theory, MemberData(nameof(BothOrders))]
    public async Task FileShareAndItsEdit_InEitherOrder_KeepTheFilesAndTheEdit(bool reversed)
    {
        var share = new
        {
            type = "message", subtype = "file_share", channel = Channel, user = Ada, text = "the graph", ts = T(0), event_ts = T(0),
            files = new[] { new { id = "F0ORD" + _base % 100_000, name = "graph.png", title = "graph", mimetype = "image/png", permalink = $"https://files.example/{_base}" } },
        };
        await Deliver(reversed, share, Edit(T(0), "the graph at 10:02", editedAt: T(10)));

        var row = await Entry(T(0));
        Assert.Equal(("the graph at 10:02", true), (row.Text, row.Edited));
        Assert.Equal([$"https://files.example/{_base}"], row.Images);
    }

    // ---- reactions ------------------------------------------------------------------------------------------

    [Theory, MemberData(nameof(BothOrders))]
    public async Task ReactionAndItsRemoval_InEitherOrder_LeaveNoMark(bool reversed)
    {
        await world.Event(Message(T(0), "db-2 is at 100% cpu"), twice: true);
        await Deliver(reversed, Reaction("reaction_added", Bob, "eyes", T(0), at: T(10)), Reaction("reaction_removed", Bob, "eyes", T(0), at: T(20)));

        Assert.Empty((await Entry(T(0))).Sections);
        Assert.Equal(0L, await world.Scalar<long>(
            "select count(*) from timeline_reactions where incident_id = @Id and slack_ts = @ts", new { world.Incident.Id, ts = T(0) }));
    }

    [Theory, MemberData(nameof(EveryOrderOfThree))]
    public async Task ReactingAgainAfterARemoval_InAnyOrder_Marks(string order)
    {
        await world.Event(Message(T(0), "db-2 is at 100% cpu"), twice: true);
        await Deliver(order, Reaction("reaction_added", Bob, "eyes", T(0), at: T(10)), Reaction("reaction_removed", Bob, "eyes", T(0), at: T(20)),
            Reaction("reaction_added", Bob, "eyes::skin-tone-2", T(0), at: T(30)));

        Assert.Equal([Sections.Observations], (await Entry(T(0))).Sections);
    }

    [Theory, MemberData(nameof(BothOrders))]
    public async Task OnePersonsRemoval_DoesNotUnmarkAnothersReaction(bool reversed)
    {
        await world.Event(Message(T(0), "restarted the pool"), twice: true);
        await Deliver(reversed, Reaction("reaction_added", Ada, "wrench", T(0), at: T(10)),
            Reaction("reaction_removed", Bob, "wrench", T(0), at: T(20)));

        Assert.Equal([Sections.Remediation], (await Entry(T(0))).Sections);
    }

    // ---- pins -----------------------------------------------------------------------------------------------

    [Theory, MemberData(nameof(BothOrders))]
    public async Task PinAndUnpin_InEitherOrder_LeaveNoHighlightAndNoLink(bool reversed)
    {
        var url = $"https://grafana.example/d/{_base}";
        await world.Event(Message(T(0), $"graphs: <{url}|dashboard>"), twice: true);
        await Deliver(reversed, Pin("pin_added", T(0), $"graphs: <{url}|dashboard>", at: T(10)), Pin("pin_removed", T(0), $"graphs: <{url}|dashboard>", at: T(20)));

        Assert.False((await Entry(T(0))).Pinned);
        Assert.Empty(await Links(url));
    }

    [Theory, MemberData(nameof(EveryOrderOfThree))]
    public async Task PinningAgainAfterAnUnpin_InAnyOrder_HighlightsWithTheNewestLinks(string order)
    {
        // The message was edited between the two pins: the war-room link is the one in the message pinned now.
        var before = $"https://logs.example/old/{_base}";
        var after = $"https://logs.example/new/{_base}";
        await world.Event(Message(T(0), $"logs: <{before}>"), twice: true);
        await Deliver(order, Pin("pin_added", T(0), $"logs: <{before}>", at: T(10)), Pin("pin_removed", T(0), $"logs: <{before}>", at: T(20)),
            Pin("pin_added", T(0), $"logs: <{after}|new logs>", at: T(30)));

        Assert.True((await Entry(T(0))).Pinned);
        Assert.Empty(await Links(before));
        Assert.Equal(new[] { ((string?)"new logs", T(0), (string?)Ada) }, await Links(after));
    }

    [Theory, MemberData(nameof(EveryOrderOfThree))]
    public async Task LinkInTwoPins_InAnyOrder_StaysWhileOneIsPinned(string order)
    {
        var url = $"https://grafana.example/shared/{_base}";
        await world.Event(Message(T(0), $"first <{url}>"), twice: true);
        await world.Event(Message(T(1), $"second <{url}>"), twice: true);
        await Deliver(order, Pin("pin_added", T(0), $"first <{url}>", at: T(10)), Pin("pin_added", T(1), $"second <{url}>", at: T(20)),
            Pin("pin_removed", T(0), $"first <{url}>", at: T(30)));

        Assert.Equal(new[] { ((string?)null, T(1), (string?)Ada) }, await Links(url));
    }

    [Fact]
    public async Task PinAndItsUnpin_CapturedAtTheSameTime_LeaveNoLink()
    {
        // The pin waits on its row (held here) after its statement began; the unpin arrives meanwhile. The unpin
        // must still see the pin's link once the pin commits, or the war-room link would outlive the pin.
        var url = $"https://grafana.example/race/{_base}";
        var text = $"graphs: <{url}>";
        await world.Event(Message(T(0), text), twice: true);
        await world.Event(Pin("pin_removed", T(0), text, at: T(1)), twice: true);

        Task<string> pin, unpin;
        await using (var holder = await world.Db())
        {
            await using var tx = await holder.BeginTransactionAsync();
            await holder.ExecuteAsync("select 1 from timeline_pin_marks where incident_id = @Id and slack_ts = @ts for update",
                new { world.Incident.Id, ts = T(0) }, tx);
            pin = world.Event(Pin("pin_added", T(0), text, at: T(10)));
            await WaitersOnLocks(1);
            unpin = world.Event(Pin("pin_removed", T(0), text, at: T(20)));
            await WaitersOnLocks(2);
            await tx.RollbackAsync();
        }
        await Task.WhenAll(pin, unpin);

        await Poll.Until(() => world.Scalar<bool>(
            "select pinned_at is not null and unpinned_at > pinned_at from timeline_pin_marks where incident_id = @Id and slack_ts = @ts",
            new { world.Incident.Id, ts = T(0) }), done => done, what: "both pin events stored");
        Assert.False((await Entry(T(0))).Pinned);
        Assert.Empty(await Links(url));
    }

    private Task WaitersOnLocks(int n) => Poll.Until(() => world.Scalar<long>(
            "select count(*) from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'"),
        waiting => waiting >= n, what: $"{n} capture statements waiting on a lock");

    [Theory, MemberData(nameof(BothOrders))]
    public async Task LinkAddedWithTheCommand_BeforeOrAfterAPinWithIt_StaysWhenThePinIsRemoved(bool commandAfterPin)
    {
        var url = $"https://runbook.example/{_base}";
        await world.Event(Message(T(0), $"runbook <{url}>"), twice: true);
        if (commandAfterPin) await world.Event(Pin("pin_added", T(0), $"runbook <{url}>", at: T(10)), twice: true);
        var reply = await world.Command($"link runbook {url}", Ada, Channel, world.Team);
        Assert.Equal("in_channel", reply.ResponseType);
        if (!commandAfterPin) await world.Event(Pin("pin_added", T(0), $"runbook <{url}>", at: T(10)), twice: true);
        await world.Event(Pin("pin_removed", T(0), $"runbook <{url}>", at: T(20)), twice: true);

        Assert.Equal("command", await world.Scalar<string>(
            "select source from incident_links where incident_id = @Id and url = @url", new { world.Incident.Id, url }));
    }

    // ---- membership -----------------------------------------------------------------------------------------

    [Theory, MemberData(nameof(BothOrders))]
    public async Task JoinAndLeave_InEitherOrder_ShowInTheOrderTheyHappened(bool reversed)
    {
        await Deliver(reversed,
            new { type = "member_joined_channel", user = Cat, channel = Channel, channel_type = "C", event_ts = T(10) },
            new { type = "member_left_channel", user = Cat, channel = Channel, channel_type = "C", event_ts = T(20) });

        var rows = await world.Reader.Entries(world.Incident.Id, includeDeleted: true, default);
        Assert.Equal([(EntryKinds.Joined, T(10)), (EntryKinds.Left, T(20))],
            rows.Where(r => r.SlackTs == T(10) || r.SlackTs == T(20)).Select(r => (r.Kind, r.SlackTs!)).ToList());
    }

    // ---- duplicates -----------------------------------------------------------------------------------------

    [Fact]
    public async Task EveryEventDeliveredAgainAfterTheRest_ChangesNothing()
    {
        var url = $"https://grafana.example/replay/{_base}";
        object[] events =
        [
            Message(T(0), "v1"), Edit(T(0), "v2", editedAt: T(10)), Edit(T(0), $"v3 <{url}>", editedAt: T(20)),
            Reaction("reaction_added", Bob, "bulb", T(0), at: T(30)), Reaction("reaction_removed", Bob, "bulb", T(0), at: T(40)),
            Reaction("reaction_added", Cat, "boom", T(0), at: T(50)),
            Pin("pin_added", T(0), $"v3 <{url}>", at: T(60)), Pin("pin_removed", T(0), $"v3 <{url}>", at: T(70)), Pin("pin_added", T(0), $"v3 <{url}>", at: T(80)),
            Message(T(1), "soon gone"), Deleted(T(1), at: T(90), previousText: "soon gone"),
        ];
        var ids = new List<string>();
        foreach (var e in events) ids.Add(await world.Event(e, twice: true));
        var before = await Snapshot(url);
        Assert.Contains("v3", before);
        Assert.Contains("pinned", before);
        Assert.Contains(Sections.Symptoms, before);

        // Slack's late retries of every delivery (same event_id), newest first, then the same events as new deliveries.
        for (var i = events.Length - 1; i >= 0; i--) await world.Event(events[i], eventId: ids[i]);
        for (var i = events.Length - 1; i >= 0; i--) await world.Event(events[i]);

        Assert.Equal(before, await Snapshot(url));
    }

    // ---- what the channel sees ------------------------------------------------------------------------------

    [Fact]
    public async Task TimelineCommand_ShowsNoMarkThatWasTakenBack()
    {
        var team = "TORV" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        await world.Command("new Search is down", Ada, world.General.Id, team);
        var incident = await world.WaitUntilOpened(1, team);
        object Say(string ts, string text) => new { type = "message", channel = incident.ChannelId, channel_type = "channel", user = Bob, text, ts, event_ts = ts };
        object Mark(string type, string ts, string at) =>
            new { type, user = Ada, reaction = "boom", item_user = Bob, event_ts = at, item = new { type = "message", channel = incident.ChannelId, ts } };
        object Pinning(string type, string ts, string at) =>
            new { type, user = Ada, channel_id = incident.ChannelId, event_ts = at, item = new { type = "message", channel = incident.ChannelId, message = new { type = "message", user = Bob, text = "x", ts } } };

        await world.Event(Say(T(0), "taken back"), twice: true);
        await world.Event(Say(T(1), "kept"), twice: true);
        // The removals arrive first, their adds late.
        await world.Event(Mark("reaction_removed", T(0), T(20)), twice: true);
        await world.Event(Pinning("pin_removed", T(0), T(21)), twice: true);
        await world.Event(Mark("reaction_added", T(0), T(10)), twice: true);
        await world.Event(Pinning("pin_added", T(0), T(11)), twice: true);
        await world.Event(Mark("reaction_added", T(1), T(12)), twice: true);
        await world.Event(Pinning("pin_added", T(1), T(13)), twice: true);

        var view = await world.Command("timeline", Ada, incident.ChannelId, team);
        var lines = view.Body!["blocks"]!.AsArray().Select(b => b?["text"]?["text"]?.GetValue<string>() ?? "")
            .SelectMany(t => t.Split('\n')).ToList();
        var takenBack = Assert.Single(lines, l => l.Contains("taken back"));
        Assert.DoesNotContain(":pushpin:", takenBack);
        Assert.DoesNotContain("Symptoms", takenBack);
        var kept = Assert.Single(lines, l => l.Contains("kept"));
        Assert.Contains(":pushpin:", kept);
        Assert.Contains("`Symptoms`", kept);
    }

    // ---- events as Slack sends them -------------------------------------------------------------------------

    private object Message(string ts, string text, string? threadTs = null) =>
        new { type = "message", channel = Channel, channel_type = "channel", user = Ada, text, ts, thread_ts = threadTs, event_ts = ts };

    /// <summary>message_changed: an edit when <paramref name="editedAt"/> is set (sent then), otherwise a change
    /// that is not an edit, sent at <paramref name="eventTs"/>.</summary>
    private object Edit(string ts, string text, string? editedAt, string? eventTs = null, string? threadTs = null)
    {
        var at = eventTs ?? editedAt!;
        return new
        {
            type = "message", subtype = "message_changed", hidden = true, channel = Channel, ts = at, event_ts = at,
            message = new { type = "message", user = Ada, text, ts, thread_ts = threadTs, edited = editedAt is null ? null : new { user = Ada, ts = editedAt } },
            previous_message = new { type = "message", user = Ada, text = "(before)", ts, thread_ts = threadTs },
        };
    }

    private object Deleted(string ts, string at, string previousText, string? previousEditedAt = null, string? previousSubtype = null) => new
    {
        type = "message", subtype = "message_deleted", hidden = true, channel = Channel, ts = at, deleted_ts = ts, event_ts = at,
        previous_message = new { type = "message", subtype = previousSubtype, user = previousSubtype is null ? Ada : "USLACKBOT", text = previousText, ts, edited = previousEditedAt is null ? null : new { user = Ada, ts = previousEditedAt } },
    };

    private object Tombstone(string ts, string at, string previousText) => new
    {
        type = "message", subtype = "message_changed", hidden = true, channel = Channel, ts = at, event_ts = at,
        message = new { type = "message", subtype = "tombstone", user = "USLACKBOT", text = "This message was deleted.", ts, thread_ts = ts, hidden = true },
        previous_message = new { type = "message", user = Ada, text = previousText, ts, thread_ts = ts },
    };

    private object Reaction(string type, string user, string emoji, string ts, string at) => new
    {
        type, user, reaction = emoji, item_user = Ada, event_ts = at, item = new { type = "message", channel = Channel, ts },
    };

    private object Pin(string type, string ts, string text, string at) => new
    {
        type, user = Ada, channel_id = Channel, event_ts = at,
        item = new { type = "message", channel = Channel, created_by = Ada, message = new { type = "message", user = Ada, text, ts } },
    };

    // ---- what was stored ------------------------------------------------------------------------------------

    private async Task<TimelineRow> Entry(string ts) =>
        Assert.Single(await world.Reader.Entries(world.Incident.Id, includeDeleted: true, default), r => r.Kind == EntryKinds.Message && r.SlackTs == ts);

    private Task<DateTime?> EditedAt(string ts) => world.Scalar<DateTime?>(
        "select edited_at from timeline_entries where incident_id = @Id and kind = 'message' and slack_ts = @ts", new { world.Incident.Id, ts });

    private async Task<List<(string? Label, string Ts, string? By)>> Links(string url)
    {
        await using var c = await world.Db();
        return (await c.QueryAsync<(string?, string, string?)>(
            "select label, slack_ts, added_by from incident_links where incident_id = @Id and url = @url", new { world.Incident.Id, url })).AsList();
    }

    private async Task<string> Snapshot(string url)
    {
        var rows = (await world.Reader.Entries(world.Incident.Id, includeDeleted: true, default)).Where(r => r.SlackTs == T(0) || r.SlackTs == T(1));
        var links = await Links(url);
        return string.Join('\n', rows.Select(r => $"{r.SlackTs}|{r.Text}|{r.Edited}|{r.DeletedAt:O}|{(r.Pinned ? "pinned" : "")}|{string.Join(',', r.Sections)}"))
               + "\n" + string.Join(',', links);
    }
}
