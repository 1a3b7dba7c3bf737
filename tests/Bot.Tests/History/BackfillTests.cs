using System.Globalization;
using Bot.History;
using Bot.Slack.Testing;
using Bot.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Bot.Tests.EndToEnd.IncidentWorld;

namespace Bot.Tests.History;

/// <summary>/incident backfill end to end: the command over HTTP, the job on Hangfire, conversations.history paged
/// by the fake Slack (4 messages a page), replies, pins and reactions into the same timeline the live capture writes.</summary>
public sealed class BackfillTests(BackfillWorld world) : IClassFixture<BackfillWorld>
{
    /// <summary>A channel's past as seeded, and the timeline rows the backfill must make of it (in time order).</summary>
    private sealed record Seeded(FakeChannel Channel, DateTimeOffset Base, List<string> Rows, Dictionary<int, FakeMessage> Messages);

    private static string Author(int i) => i % 2 == 0 ? Bob : Ada;

    private static string TextOf(int i) => i == 2 ? "dashboards: <https://grafana.example/d/9|errors>" : $"message {i}";

    /// <summary>13 messages (4 pages with the bot's join), a thread of 2 replies on message 3 (one reply edited, one
    /// marked :wrench:), message 5 edited, message 6 with an image and a text file, message 7 marked :eyes: by two
    /// people (and a :thumbsup: that marks nothing), message 2 pinned with a link in it.</summary>
    private Seeded Seed(string name, bool isPrivate = false, bool botIsMember = false)
    {
        var channel = world.Slack.AddChannel(name, isPrivate, botIsMember, Ada, Bob, Cat);
        var start = DateTimeOffset.UtcNow.AddHours(-3);
        var at = new DateTimeOffset(start.Year, start.Month, start.Day, start.Hour, start.Minute, 0, TimeSpan.Zero);
        var m = new Dictionary<int, FakeMessage>();
        for (var i = 1; i <= 13; i++)
            m[i] = world.Slack.AddPastMessage(channel.Id, Author(i), TextOf(i), at.AddMinutes(i).AddSeconds(10));
        var r1 = world.Slack.AddPastMessage(channel.Id, Cat, "reply 1", at.AddMinutes(3).AddSeconds(30), threadTs: m[3].Ts);
        var r2 = world.Slack.AddPastMessage(channel.Id, Bob, "reply 2", at.AddMinutes(3).AddSeconds(40), threadTs: m[3].Ts);
        world.Slack.EditPastMessage(channel.Id, r2.Ts, "reply 2 (fixed)", at.AddMinutes(30));
        world.Slack.AddPastReaction(channel.Id, r1.Ts, "wrench", Bob);
        world.Slack.EditPastMessage(channel.Id, m[5].Ts, "message 5 (fixed)", at.AddMinutes(25));
        world.Slack.AddPastFile(channel.Id, m[6].Ts, "graph.png", "image/png", "graph");
        world.Slack.AddPastFile(channel.Id, m[6].Ts, "dump.txt", "text/plain");
        world.Slack.AddPastReaction(channel.Id, m[7].Ts, "eyes", Bob);
        world.Slack.AddPastReaction(channel.Id, m[7].Ts, "eyes::skin-tone-2", Cat);
        world.Slack.AddPastReaction(channel.Id, m[7].Ts, "thumbsup", Ada);
        world.Slack.AddPastPin(channel.Id, m[2].Ts, Ada, at.AddMinutes(20));

        var rows = new List<string> { $"opened|||{Ada}|#{name}|||||" };
        for (var i = 1; i <= 13; i++)
        {
            var text = i == 5 ? "message 5 (fixed)" : TextOf(i);
            var extra = i == 6 ? "images=1 files=dump.txt" : "";
            rows.Add($"message|{m[i].Ts}||{Author(i)}|{text}|{(i == 5 ? "edited" : "")}||{(i == 2 ? "pinned" : "")}|{(i == 7 ? "observations" : "")}|{extra}");
            if (i == 3)
            {
                rows.Add($"message|{r1.Ts}|{m[3].Ts}|{Cat}|reply 1||||remediation|");
                rows.Add($"message|{r2.Ts}|{m[3].Ts}|{Bob}|reply 2 (fixed)|edited||||");
            }
        }
        m[14] = r1;
        m[15] = r2;
        return new Seeded(channel, at, rows, m);
    }

    private static string Unique(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..6];

    private static string Ts(DateTimeOffset at) => BackfillTs.Of(at);

    [Fact]
    public async Task Backfill_ReadsPagedHistory_ThreadsEditsFilesReactionsAndPins_IntoTheTimeline()
    {
        var team = BackfillWorld.NewTeam();
        var seeded = Seed(Unique("outage"));
        var channel = seeded.Channel.Id;

        var reply = await world.Command("backfill", Ada, channel, team);

        Assert.Equal(200, reply.Status);
        Assert.Equal("ephemeral", reply.ResponseType);
        Assert.Contains("Incident #1 is open on this channel", reply.Text);
        var id = await world.WaitUntilBackfilled(channel);

        Assert.Equal(seeded.Rows, await world.Timeline(id));
        // The bot joined the public channel itself, read 4 pages of 4, and pinned links became war-room links.
        Assert.Contains(world.Slack.BotUserId, world.Slack.Channel(channel)!.Members);
        Assert.Single(world.Slack.CallsTo("conversations.join"), c => c.Arg("channel") == channel);
        var pages = world.Slack.CallsTo("conversations.history").Where(c => c.Arg("channel") == channel && c.Ok).ToList();
        Assert.Equal(4, pages.Count);
        Assert.All(pages, p => Assert.Equal("4", p.Arg("limit")));
        Assert.Equal("https://grafana.example/d/9|errors|pin", await world.Scalar<string>(
            "select url || '|' || label || '|' || source from incident_links where incident_id = @id", new { id }));
        // The incident began with its first message, not with the command; everyone in the channel is a member.
        Assert.Equal(seeded.Base.AddMinutes(1).AddSeconds(10), new DateTimeOffset(DateTime.SpecifyKind(
            await world.Scalar<DateTime>("select created_at from incidents where id = @id", new { id }), DateTimeKind.Utc)));
        Assert.Equal($"{Ada},{Bob},{Cat}", await world.Scalar<string>(
            "select string_agg(user_id, ',' order by user_id) from incident_members where incident_id = @id and is_member and user_id in ('U0ADA', 'U0BOB', 'U0CAT')", new { id }));

        // One progress message, updated page by page, ending with the counts.
        var progress = Assert.Single(world.Slack.Messages(channel), m => m.User == world.Slack.BotUserId);
        Assert.StartsWith(":white_check_mark: Backfilled from its first message: 15 messages, 1 thread, 1 pin.", progress.Text);
        Assert.Contains("Incident #1 is open", progress.Text);
        Assert.True(world.Slack.CallsTo("chat.update").Count(c => c.Arg("ts") == progress.Ts) >= 5);
    }

    [Fact]
    public async Task Backfill_ThenCaptureGoesOn_AndTheIncidentResolves_WithTheBackfilledTimelineInItsDraft()
    {
        var team = BackfillWorld.NewTeam();
        var seeded = Seed(Unique("db-down"));
        var channel = seeded.Channel.Id;
        await world.Command("backfill", Ada, channel, team);
        var id = await world.WaitUntilBackfilled(channel);

        var liveTs = Ts(DateTimeOffset.UtcNow);
        await world.Event(new { type = "message", channel, channel_type = "channel", user = Cat, text = "live after the backfill", ts = liveTs, event_ts = liveTs });
        var rows = await Poll.Until(() => world.Timeline(id), r => r.Count == seeded.Rows.Count + 1, what: "the live message captured");
        Assert.Equal($"message|{liveTs}||{Cat}|live after the backfill|||||", rows[^1]);

        var status = await world.Command("status identified", Ada, channel, team);
        Assert.Equal("in_channel", status.ResponseType);
        var resolved = await world.Command("resolve Failed over", Ada, channel, team);
        Assert.Equal("in_channel", resolved.ResponseType);
        Assert.Contains("resolved", resolved.Text);

        var preview = await world.SlashCommand("/postmortem", "preview", Ada, channel, team);
        Assert.Equal("ephemeral", preview.ResponseType);
        var document = await Poll.Until(() => Task.FromResult(world.DocumentsInDm(Ada, "#" + seeded.Channel.Name).FirstOrDefault()),
            d => d is not null, TimeSpan.FromSeconds(30), "the draft in Ada's DM");
        Assert.Contains("message 7", document);
        Assert.Contains("reply 2 (fixed)", document);
        Assert.Contains("live after the backfill", document);
        Assert.Contains("https://grafana.example/d/9", document);
    }

    [Fact]
    public async Task Backfill_RunTwice_AddsNothingTwice()
    {
        var team = BackfillWorld.NewTeam();
        var seeded = Seed(Unique("twice"));
        var channel = seeded.Channel.Id;
        await world.Command("backfill", Ada, channel, team);
        var id = await world.WaitUntilBackfilled(channel);
        var first = await world.Snapshot(id);
        var events = await world.Scalar<long>("select count(*) from slack_events_processed where event_id like @p", new { p = $"backfill:{channel}:%" });

        var again = await world.Command("backfill", Bob, channel, team);

        Assert.Contains("reading its history again", again.Text);
        Assert.Contains("not added twice", again.Text);
        await world.WaitUntilBackfilled(channel, "the second backfill to finish");
        Assert.Equal(first, await world.Snapshot(id));
        Assert.Equal(seeded.Rows, await world.Timeline(id));
        Assert.Equal(events, await world.Scalar<long>("select count(*) from slack_events_processed where event_id like @p", new { p = $"backfill:{channel}:%" }));
        Assert.Equal(1L, await world.Scalar<long>("select count(*) from incidents where channel_id = @channel", new { channel }));
    }

    [Fact]
    public async Task Backfill_StoppedHalfWay_ThenRunAgain_FinishesWithTheSameTimeline_AndOneProgressMessage()
    {
        var team = BackfillWorld.NewTeam();
        var seeded = Seed(Unique("crash"));
        var channel = seeded.Channel.Id;
        // Everything is read but the pins: the job fails there (a Slack error worth a retry) and Hangfire would retry later.
        world.Slack.FailNext("pins.list", Failure.Error("internal_error"));

        await world.Command("backfill", Ada, channel, team);
        await Poll.Until(() => Task.FromResult(world.Slack.CallsTo("pins.list").Count(c => !c.Ok && c.Arg("channel") == channel)), n => n == 1,
            what: "the first run to fail at pins.list");
        var id = await world.Scalar<long>("select incident_id from backfills where channel_id = @channel", new { channel });
        await Poll.Until(() => world.Timeline(id), r => r.Count == seeded.Rows.Count, what: "the first run's messages");
        Assert.Null(await world.Scalar<DateTime?>("select finished_at from backfills where incident_id = @id", new { id }));

        // The retry, as Hangfire runs it: the same job for the same incident.
        using (var scope = world.App.Services.CreateScope())
            await scope.ServiceProvider.GetRequiredService<BackfillJob>().Run(id, CancellationToken.None);

        await world.WaitUntilBackfilled(channel);
        Assert.Equal(seeded.Rows, await world.Timeline(id));
        Assert.Equal(3L, await world.Scalar<long>("select count(*) from timeline_reaction_marks where incident_id = @id", new { id }));
        Assert.Equal(2L, await world.Scalar<long>("select count(*) from timeline_files where incident_id = @id", new { id }));
        var progress = Assert.Single(world.Slack.Messages(channel), m => m.User == world.Slack.BotUserId);
        Assert.StartsWith(":white_check_mark: Backfilled", progress.Text);
    }

    [Fact]
    public async Task Backfill_LiveMessageDuringTheRead_IsKeptOnce()
    {
        var team = BackfillWorld.NewTeam();
        var seeded = Seed(Unique("during"));
        var channel = seeded.Channel.Id;
        world.Slack.FailNext("conversations.history", Failure.Delay(TimeSpan.FromSeconds(3)));

        await world.Command("backfill", Ada, channel, team);
        // Said while the first page is on its way: delivered live, and in the history the backfill reads.
        var live = world.Slack.AddPastMessage(channel, Cat, "said during the backfill", DateTimeOffset.UtcNow);
        await world.Event(new { type = "message", channel, channel_type = "channel", user = Cat, text = live.Text, ts = live.Ts, event_ts = live.Ts });
        var id = await world.WaitUntilBackfilled(channel);

        var rows = await world.Timeline(id);
        Assert.Equal(seeded.Rows.Append($"message|{live.Ts}||{Cat}|said during the backfill|||||").ToList(), rows);
    }

    private object Edit(string channel, FakeMessage m, string text, DateTimeOffset editedAt)
    {
        var eventTs = Ts(DateTimeOffset.UtcNow);
        return new
        {
            type = "message", subtype = "message_changed", hidden = true, channel, channel_type = "channel", ts = eventTs, event_ts = eventTs,
            message = new { type = "message", user = m.User, text, ts = m.Ts, edited = new { user = m.User, ts = Ts(editedAt) } },
            previous_message = new { type = "message", user = m.User, text = "before", ts = m.Ts },
        };
    }

    [Fact]
    public async Task Backfill_LiveEditNewerThanTheHistory_WinsInBothOrders_AndAnOlderOneDoesNot()
    {
        var team = BackfillWorld.NewTeam();

        // Live edit first: it lands while the backfill waits for its first page, which still has the older version.
        var first = Seed(Unique("edit-live-first"));
        world.Slack.FailNext("conversations.history", Failure.Delay(TimeSpan.FromSeconds(3)));
        await world.Command("backfill", Ada, first.Channel.Id, team);
        await world.Event(Edit(first.Channel.Id, first.Messages[5], "message 5 (live)", first.Base.AddMinutes(50)));
        var firstId = await world.WaitUntilBackfilled(first.Channel.Id);

        // Backfill first, then the live edit; then an edit older than the backfilled version arriving late.
        var second = Seed(Unique("edit-backfill-first"));
        await world.Command("backfill", Ada, second.Channel.Id, team);
        var secondId = await world.WaitUntilBackfilled(second.Channel.Id);
        await world.Event(Edit(second.Channel.Id, second.Messages[5], "message 5 (live)", second.Base.AddMinutes(50)));
        await world.Event(Edit(second.Channel.Id, second.Messages[15], "reply 2 (older)", second.Base.AddMinutes(10)));

        foreach (var (seeded, id) in new[] { (first, firstId), (second, secondId) })
        {
            var rows = await Poll.Until(() => world.Timeline(id), r => r.Any(x => x.Contains("message 5 (live)")), what: "the live edit");
            var expected = seeded.Rows.Select(r => r.Replace("|message 5 (fixed)|", "|message 5 (live)|")).ToList();
            Assert.Equal(expected, rows);
        }
    }

    [Fact]
    public async Task Backfill_From_ReadsOnlyWhatCameAfter_InTheCallersTimeZone()
    {
        var team = BackfillWorld.NewTeam();
        var seeded = Seed(Unique("from"));
        var channel = seeded.Channel.Id;
        var dan = "U0D" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        world.Slack.AddUser(dan, "dan" + dan, "Dan Brown", tz: "America/New_York");
        var zone = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        var from = seeded.Base.AddMinutes(6);
        var local = TimeZoneInfo.ConvertTime(from, zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

        var reply = await world.Command($"backfill from {local}", dan, channel, team);

        Assert.Contains("Incident #1 is open on this channel", reply.Text);
        Assert.Contains($"<!date^{from.ToUnixTimeSeconds()}^", reply.Text);
        var id = await world.WaitUntilBackfilled(channel);
        // Messages 6 to 13 only: no thread (its parent is earlier), no pin (on message 2), no war-room link.
        var expected = new List<string> { $"opened|||{dan}|#{seeded.Channel.Name}|||||" };
        expected.AddRange(seeded.Rows.Where(r => r.StartsWith("message|", StringComparison.Ordinal))
            .Where(r => SlackTsAfter(r.Split('|')[1], from)));
        Assert.Equal(expected, await world.Timeline(id));
        Assert.Equal(8, expected.Count - 1);
        Assert.Equal(0L, await world.Scalar<long>("select count(*) from incident_links where incident_id = @id", new { id }));
        Assert.DoesNotContain(world.Slack.CallsTo("conversations.replies"), c => c.Arg("channel") == channel);
        Assert.All(world.Slack.CallsTo("conversations.history").Where(c => c.Arg("channel") == channel),
            c => Assert.Equal(Ts(from), c.Arg("oldest")));
        Assert.Equal(from, new DateTimeOffset(DateTime.SpecifyKind(
            await world.Scalar<DateTime>("select created_at from incidents where id = @id", new { id }), DateTimeKind.Utc)));
    }

    private static bool SlackTsAfter(string ts, DateTimeOffset from) =>
        decimal.Parse(ts, CultureInfo.InvariantCulture) > decimal.Parse(Ts(from), CultureInfo.InvariantCulture);

    [Fact]
    public async Task Backfill_PrivateChannelWithTheBot_IsAPrivateIncident_OfItsMembers()
    {
        var team = BackfillWorld.NewTeam();
        var seeded = Seed(Unique("secret"), isPrivate: true, botIsMember: true);

        // Slack's 429 on a page (Tier 3) is waited out (Retry-After), not an end to the backfill.
        world.Slack.FailNext("conversations.history", Failure.RateLimited(retryAfterSeconds: 1));

        await world.Command("backfill", Bob, seeded.Channel.Id, team);
        var id = await world.WaitUntilBackfilled(seeded.Channel.Id);

        var pages = world.Slack.CallsTo("conversations.history").Where(c => c.Arg("channel") == seeded.Channel.Id).ToList();
        Assert.Equal([429, 200, 200, 200, 200], pages.Select(c => c.HttpStatus));

        Assert.Equal(seeded.Rows.Skip(1), (await world.Timeline(id)).Skip(1));
        Assert.True(await world.Scalar<bool>("select is_private from incidents where id = @id", new { id }));
        Assert.DoesNotContain(world.Slack.CallsTo("conversations.join"), c => c.Arg("channel") == seeded.Channel.Id);
        Assert.Equal(3L, await world.Scalar<long>(
            "select count(*) from incident_members where incident_id = @id and is_member and user_id in ('U0ADA', 'U0BOB', 'U0CAT')", new { id }));
    }

    [Fact]
    public async Task Backfill_StoppedBySlack_SaysWhy_AndCanRunAgain()
    {
        var team = BackfillWorld.NewTeam();
        var seeded = Seed(Unique("no-join"));
        var channel = seeded.Channel.Id;
        world.Slack.FailNext("conversations.join", Failure.Error("missing_scope"));

        var reply = await world.Command("backfill", Ada, channel, team);

        // No progress message yet (the bot could not join): the requester hears it through the command's response_url.
        var told = await world.Slack.WaitForResponse(reply.ResponseUrl, r => r.Body?["text"]?.ToString().Contains("had to stop") == true);
        Assert.Contains("`missing_scope`", told.Body!["text"]!.ToString());
        Assert.Equal("ephemeral", told.Body!["response_type"]!.ToString());
        var id = await world.Scalar<long>("select incident_id from backfills where channel_id = @channel and error = 'missing_scope'", new { channel });
        Assert.True(id > 0);
        Assert.Single(await world.Timeline(id));

        var again = await world.Command("backfill", Ada, channel, team);
        Assert.Contains("reading its history again", again.Text);
        await world.WaitUntilBackfilled(channel);
        Assert.Equal(seeded.Rows, await world.Timeline(id));
        Assert.Null(await world.Scalar<string?>("select error from backfills where incident_id = @id", new { id }));
    }

    [Fact]
    public async Task Backfill_WhileItRuns_SaysSo_AndStartsNoSecondRun()
    {
        var team = BackfillWorld.NewTeam();
        var seeded = Seed(Unique("busy"));
        var channel = seeded.Channel.Id;
        world.Slack.FailNext("conversations.history", Failure.Delay(TimeSpan.FromSeconds(3)));
        await world.Command("backfill", Ada, channel, team);

        var second = await world.Command("backfill", Bob, channel, team);

        Assert.Contains("still reading this channel's history for incident #1", second.Text);
        await world.WaitUntilBackfilled(channel);
        Assert.Single(world.Slack.Messages(channel), m => m.User == world.Slack.BotUserId);
        Assert.Equal(seeded.Rows, (await world.Timeline(await world.Scalar<long>(
            "select id from incidents where channel_id = @channel", new { channel }))));
    }

    [Fact]
    public async Task Backfill_PrivateChannelWithoutTheBot_AsksToBeInvited_AndOpensNothing()
    {
        var team = BackfillWorld.NewTeam();
        var channel = world.Slack.AddChannel(Unique("hidden"), isPrivate: true, botIsMember: false, Ada, Bob);
        world.Slack.AddPastMessage(channel.Id, Ada, "where is everyone", DateTimeOffset.UtcNow.AddHours(-1));

        var reply = await world.Command("backfill", Ada, channel.Id, team);

        Assert.Equal("ephemeral", reply.ResponseType);
        Assert.Contains("Invite me with `/invite @incident-bot`, then run `/incident backfill` again", reply.Text);
        Assert.Equal(0L, await world.Scalar<long>("select count(*) from incidents where channel_id = @Id", new { channel.Id }));
    }

    [Fact]
    public async Task Backfill_Refuses_ADirectMessage_AnIncidentChannel_AndBadTimes_WithTheUsage()
    {
        var team = BackfillWorld.NewTeam();
        var dm = await world.Command("backfill", Ada, "D0DIRECT1", team);
        Assert.Equal("ephemeral", dm.ResponseType);
        Assert.Contains("run it in the channel the incident happened in", dm.Text);

        await world.Command("new Cache stampede", Ada, world.General.Id, team);
        var opened = await world.WaitUntilOpened(1, team);
        var already = await world.Command("backfill", Bob, opened.ChannelId, team);
        Assert.Equal("ephemeral", already.ResponseType);
        Assert.Contains("already is incident #1's (Cache stampede)", already.Text);
        Assert.Equal(0L, await world.Scalar<long>("select count(*) from backfills where incident_id = @Id", new { opened.Id }));

        var channel = world.Slack.AddChannel(Unique("quiet"), members: [Ada]);
        foreach (var (text, says) in new[]
        {
            ("backfill yesterday", "Usage: `/incident backfill [from <date-time>]`"),
            ("backfill from", "Usage: `/incident backfill [from <date-time>]`"),
            ("backfill from banana o'clock", "I can't read `banana o'clock` as a time"),
            ("backfill from 2999-01-01 10:00", "is in the future"),
            ("backfill from today 10:00 for 30", "I can't read"),
        })
        {
            var reply = await world.Command(text, Ada, channel.Id, team);
            Assert.Equal("ephemeral", reply.ResponseType);
            Assert.Contains(says, reply.Text);
        }
        Assert.Equal(0L, await world.Scalar<long>("select count(*) from incidents where channel_id = @Id", new { channel.Id }));

        var help = await world.Command("help", Ada, channel.Id, team);
        Assert.Contains("`/incident backfill [from <date-time>]`", help.Text);
    }
}
