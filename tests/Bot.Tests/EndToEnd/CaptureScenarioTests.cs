using System.Globalization;
using Bot.Tests.Infrastructure;
using Bot.Timeline;
using Dapper;
using static Bot.Tests.EndToEnd.IncidentWorld;

namespace Bot.Tests.EndToEnd;

/// <summary>The issue's scenario: an incident opened, then what people do in its channel, every event
/// delivered twice → the stored timeline is exactly what happened, in order, with the right sections.</summary>
public sealed class CaptureScenarioTests(IncidentWorld world) : IClassFixture<IncidentWorld>
{
    private string _channel = "";
    private long _baseMicros;

    private string Ts(int i) => Format(_baseMicros + 1000L * i);

    private static string Format(long micros) =>
        (micros / 1_000_000).ToString(CultureInfo.InvariantCulture) + "." + (micros % 1_000_000).ToString("D6", CultureInfo.InvariantCulture);

    private static string Author(int i) => i % 2 == 0 ? Bob : Ada;

    private static string TextOf(int i) => i == 20 ? "graphs: <https://grafana.example/d/1|dashboard>" : $"message {i}";

    private object Message(string ts, string user, string text, string? threadTs = null, string? channel = null) =>
        new { type = "message", channel = channel ?? _channel, channel_type = "channel", user, text, ts, thread_ts = threadTs, event_ts = ts };

    private Task<string> Send(object e) => world.Event(e, twice: true);

    [Fact]
    public async Task Scenario_StoredTimelineIsExactlyWhatHappened()
    {
        var team = "TSCEN" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        var opened = await world.Command("new Payments failing sev1", Ada, world.General.Id, team);
        Assert.Contains("Opening #", opened.Text);
        var incident = await world.WaitUntilOpened(1, team);
        _channel = incident.ChannelId;
        var createdMicros = (new DateTimeOffset(DateTime.SpecifyKind(incident.CreatedAt, DateTimeKind.Utc)).UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;
        _baseMicros = createdMicros + 1000;

        // A join, 50 messages, a thread of 3 replies on message 10, an image with a text file.
        await Send(new { type = "member_joined_channel", user = Bob, channel = _channel, channel_type = "C", event_ts = Ts(0) });
        for (var i = 1; i <= 50; i++)
            await Send(Message(Ts(i), Author(i), TextOf(i)));
        for (var r = 1; r <= 3; r++)
            await Send(Message(Ts(50 + r), Cat, $"reply {r}", threadTs: Ts(10)));
        await Send(new
        {
            type = "message", subtype = "file_share", channel = _channel, user = Ada, text = "the error graph", ts = Ts(54), event_ts = Ts(54),
            files = new object[]
            {
                new { id = "F0IMG", name = "graph.png", title = "graph", mimetype = "image/png", permalink = "https://files.example/F0IMG" },
                new { id = "F0TXT", name = "dump.txt", title = "dump.txt", mimetype = "text/plain", permalink = "https://files.example/F0TXT" },
            },
        });

        // Not part of the timeline: the bot's own kickoff-style post, another bot, a join echo, another channel.
        await Send(new { type = "message", channel = _channel, user = world.Slack.BotUserId, bot_id = world.Slack.BotId, text = "bot says", ts = Ts(55), event_ts = Ts(55) });
        await Send(new { type = "message", subtype = "bot_message", channel = _channel, bot_id = "B0OTHER", text = "alert!", ts = Ts(56), event_ts = Ts(56) });
        await Send(new { type = "message", subtype = "channel_join", channel = _channel, user = Cat, text = "<@U0CAT> has joined", ts = Ts(57), event_ts = Ts(57) });
        var elsewhere = await world.Event(Message(Ts(58), Ada, "unrelated", channel: world.General.Id), twice: true);

        await Poll.Until(() => Count("select count(*) from timeline_entries where incident_id = @Id and kind = 'message'", incident.Id),
            n => n == 54, what: "54 captured messages");

        // An edit, an unfurl (same text), an edit of a thread reply, a delete, a pin of the message with a link.
        await Send(Changed(Ts(5), Ada, "message 5 (fixed)", edited: true));
        await Send(Changed(Ts(6), Bob, "message 6", edited: false));
        await Send(Changed(Ts(52), Cat, "reply 2, edited", edited: true, threadTs: Ts(10)));
        await Send(new
        {
            type = "message", subtype = "message_deleted", hidden = true, channel = _channel, ts = Ts(100), deleted_ts = Ts(7), event_ts = Ts(100),
            previous_message = new { type = "message", user = Ada, text = "message 7", ts = Ts(7) },
        });
        await Send(new
        {
            type = "pin_added", user = Ada, channel_id = _channel, event_ts = Ts(101),
            item = new { type = "message", channel = _channel, created_by = Ada, message = new { type = "message", user = Bob, text = TextOf(20), ts = Ts(20) } },
        });

        // Reactions: two people on message 3 (one takes it back), one marks and unmarks message 4, others.
        await Send(Reaction("reaction_added", Ada, "eyes", Ts(3)));
        await Send(Reaction("reaction_added", Bob, "eyes::skin-tone-2", Ts(3)));
        await Send(Reaction("reaction_added", Ada, "bulb", Ts(4)));
        await Send(Reaction("reaction_added", Cat, "boom", Ts(8)));
        await Send(Reaction("reaction_added", Bob, "wrench", Ts(51)));
        await Send(Reaction("reaction_added", Bob, "thumbsup", Ts(9)));
        await Poll.Until(() => Count("select count(*) from timeline_reactions where incident_id = @Id", incident.Id), n => n == 5, what: "5 reactions");
        await Send(Reaction("reaction_removed", Bob, "eyes", Ts(3)));
        await Send(Reaction("reaction_removed", Ada, "bulb", Ts(4)));

        await Poll.Until(async () =>
            await Count("select count(*) from timeline_reactions where incident_id = @Id", incident.Id) == 3
            && await Count("select count(*) from timeline_pins where incident_id = @Id", incident.Id) == 1
            && await Count("select count(*) from timeline_entries where incident_id = @Id and (edited or deleted_at is not null)", incident.Id) == 3,
            ok => ok, what: "edits, delete, pin and reaction removals");

        // A role change and a status change, typed in the incident channel.
        var role = await world.Command("role scribe <@U0BOB|bob>", Ada, _channel, team);
        Assert.Equal("in_channel", role.ResponseType);
        var status = await world.Command("status identified", Ada, _channel, team);
        Assert.Equal("in_channel", status.ResponseType);
        Assert.Contains("identified", status.Text);

        var rows = await Reader().Entries(incident.Id, includeDeleted: true, CancellationToken.None);
        var actual = rows.Select(Describe).ToList();

        var expected = new List<string> { $"opened|||{Ada}|Payments failing|||||", $"joined|{Ts(0)}||{Bob}||||||" };
        for (var i = 1; i <= 50; i++)
        {
            var text = i == 5 ? "message 5 (fixed)" : TextOf(i);
            var sections = i switch { 3 => "observations", 8 => "symptoms", _ => "" };
            expected.Add($"message|{Ts(i)}||{Author(i)}|{text}|{(i == 5 ? "edited" : "")}|{(i == 7 ? "deleted" : "")}|{(i == 20 ? "pinned" : "")}|{sections}|");
        }
        expected.Add($"message|{Ts(51)}|{Ts(10)}|{Cat}|reply 1||||remediation|");
        expected.Add($"message|{Ts(52)}|{Ts(10)}|{Cat}|reply 2, edited|edited||||");
        expected.Add($"message|{Ts(53)}|{Ts(10)}|{Cat}|reply 3|||||");
        expected.Add($"message|{Ts(54)}||{Ada}|the error graph|||||images=https://files.example/F0IMG files=dump.txt");
        expected.Add($"role|||{Ada}||||||scribe:{Bob}");
        expected.Add($"status|||{Ada}||||||investigating->identified");
        Assert.Equal(expected, actual);

        // Side effects: the pinned link is a war-room link; the other channel's event was not even recorded.
        Assert.Equal("https://grafana.example/d/1", await world.Scalar<string>(
            "select url from incident_links where incident_id = @Id and source = 'pin'", new { incident.Id }));
        Assert.Equal(0L, await world.Scalar<long>("select count(*) from slack_events_processed where event_id = @elsewhere", new { elsewhere }));
        Assert.Equal(0L, await world.Scalar<long>("select count(*) from timeline_entries where slack_ts = @ts", new { ts = Ts(58) }));

        // The paged view shows names, not ids, and leaves the deleted message out.
        var view = await world.Command("timeline", Ada, _channel, team);
        var blocks = view.Body!["blocks"]!.ToJsonString();
        Assert.Contains("Ada", blocks);
        Assert.DoesNotContain("message 7", blocks);
        Assert.Contains("page 1 of", blocks);
        Assert.Contains(TimelineView.NextAction, blocks);

        // "Later" replaces the ephemeral view with the next page.
        var responseUrl = world.Slack.ResponseUrl();
        using var click = await world.Interaction(new
        {
            type = "block_actions",
            team = new { id = team }, user = new { id = Ada }, api_app_id = "A0TEST",
            channel = new { id = _channel }, container = new { type = "message", channel_id = _channel, is_ephemeral = true },
            response_url = responseUrl, trigger_id = world.Slack.NewTriggerId(),
            actions = new[] { new { type = "button", action_id = TimelineView.NextAction, block_id = "b", value = $"{incident.Id}:1", action_ts = "1.0" } },
        });
        Assert.Equal(200, (int)click.StatusCode);
        var page2 = await world.Slack.WaitForResponse(responseUrl);
        Assert.Contains("page 2 of", page2.Body!.ToJsonString());
        Assert.True(page2.Body!["replace_original"]!.GetValue<bool>());
    }

    private object Changed(string ts, string user, string text, bool edited, string? threadTs = null) => new
    {
        type = "message", subtype = "message_changed", hidden = true, channel = _channel, ts = Format(_baseMicros + 200_000 + Random.Shared.Next(1000)),
        event_ts = ts,
        message = new { type = "message", user, text, ts, thread_ts = threadTs, edited = edited ? new { user, ts = Format(_baseMicros + 300_000) } : null },
        previous_message = new { type = "message", user, text = "before", ts },
    };

    private int _reactions;

    // Reactions happen in the order they are sent here: a removal's event_ts is after its add's.
    private object Reaction(string type, string user, string emoji, string ts) => new
    {
        type, user, reaction = emoji, item_user = Ada, event_ts = Format(_baseMicros + 400_000 + 10 * ++_reactions),
        item = new { type = "message", channel = _channel, ts },
    };

    private static string Describe(TimelineRow r)
    {
        var extra = r.Kind switch
        {
            "role" => $"{Json(r.Data, "role")}:{Json(r.Data, "to")}",
            "status" => $"{Json(r.Data, "from")}->{Json(r.Data, "to")}",
            _ => string.Join(' ', new[]
            {
                r.Images.Length > 0 ? "images=" + string.Join(',', r.Images) : null,
                r.Files.Length > 0 ? "files=" + string.Join(',', r.Files) : null,
            }.Where(s => s is not null)),
        };
        return $"{r.Kind}|{r.SlackTs}|{r.ThreadTs}|{r.UserId}|{r.Text}|{(r.Edited ? "edited" : "")}|{(r.DeletedAt is null ? "" : "deleted")}|" +
               $"{(r.Pinned ? "pinned" : "")}|{string.Join(',', r.Sections)}|{extra}";
    }

    private static string? Json(string? data, string key) =>
        data is null ? null : System.Text.Json.JsonDocument.Parse(data).RootElement.GetProperty(key).GetString();

    private TimelineReader Reader() =>
        new(new Bot.Database.Db(Npgsql.NpgsqlDataSource.Create(world.ConnectionString), null!));

    private async Task<long> Count(string sql, long id)
    {
        await using var c = await world.Db();
        return await c.ExecuteScalarAsync<long>(sql, new { Id = id });
    }
}
