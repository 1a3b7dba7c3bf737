using System.Net;
using Bot.Tests.Infrastructure;
using Dapper;
using static Bot.Tests.EndToEnd.IncidentWorld;

namespace Bot.Tests.EndToEnd;

/// <summary>Capture is recorded before Slack is answered: when the database cannot take an event in time,
/// Slack is not acknowledged, delivers again, and the event ends up stored exactly once.</summary>
public sealed class CaptureDurabilityTests(IncidentWorld world) : IClassFixture<IncidentWorld>
{
    [Fact]
    public async Task Message_WhileTheTimelineIsLocked_IsNotAcked_ThenSlacksRetryStoresItOnce()
    {
        var team = "TDUR" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        await world.Command("new Queue backlog", Ada, world.General.Id, team);
        var incident = await world.WaitUntilOpened(1, team);
        var ts = $"{DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 5}.000100";
        var json = world.App.EventEnvelope(
            new { type = "message", channel = incident.ChannelId, channel_type = "channel", user = Bob, text = "disk full on db-2", ts, event_ts = ts },
            "EvDUR" + Guid.NewGuid().ToString("N")[..8]);

        HttpStatusCode firstStatus;
        await using (var blocker = await world.Db())
        {
            await using var tx = await blocker.BeginTransactionAsync();
            await blocker.ExecuteAsync("lock table timeline_entries in access exclusive mode", transaction: tx);
            using var first = await world.App.PostEvent(json);
            firstStatus = first.StatusCode;
            await tx.RollbackAsync();
        }
        Assert.Equal(HttpStatusCode.ServiceUnavailable, firstStatus);

        using var retry = await world.App.PostEvent(json, retryNum: 1);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        // The first attempt, once unblocked, may also commit: either way exactly one row.
        await Poll.Until(() => world.Scalar<long>(
                "select count(*) from timeline_entries where incident_id = @Id and slack_ts = @ts", new { incident.Id, ts }),
            n => n == 1, what: "the message stored");
        Assert.Equal("disk full on db-2", await world.Scalar<string>(
            "select text from timeline_entries where incident_id = @Id and slack_ts = @ts", new { incident.Id, ts }));
        using var again = await world.App.PostEvent(json, retryNum: 2);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(1L, await world.Scalar<long>(
            "select count(*) from timeline_entries where incident_id = @Id and slack_ts = @ts", new { incident.Id, ts }));
    }

    /// <summary>Capture's own write is the record: in an installed workspace a message, its edit and a reaction leave
    /// no Slack inbox row (the handler that watches every event for a reinstall wants none of them), so an incident
    /// channel's traffic costs one write per event, not three. An event with after-ack work does take a row.</summary>
    [Fact]
    public async Task Messages_EditsAndReactions_CapturedBeforeTheAck_WriteNothingToTheInbox()
    {
        var team = "TINB" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        await world.Command("new Inbox untouched", Ada, world.General.Id, team);
        var incident = await world.WaitUntilOpened(1, team);
        const string LastInboxId = "select coalesce(pg_sequence_last_value(pg_get_serial_sequence('slack_inbox', 'id')), 0)";
        var before = await world.Scalar<long>(LastInboxId);
        var ts = $"{DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 5}.000200";
        object[] events =
        [
            new { type = "message", channel = incident.ChannelId, channel_type = "channel", user = Bob, text = "db-2 is read-only", ts, event_ts = ts },
            new { type = "message", subtype = "message_changed", channel = incident.ChannelId, channel_type = "channel", event_ts = ts[..^1] + "9",
                  message = new { type = "message", user = Bob, text = "db-2 is read-only again", ts, edited = new { user = Bob, ts = ts[..^1] + "9" } } },
            new { type = "reaction_added", user = Ada, reaction = "eyes", item_user = Bob, event_ts = ts[..^1] + "8",
                  item = new { type = "message", channel = incident.ChannelId, ts } },
        ];
        foreach (var e in events)
        {
            using var response = await world.App.PostEvent(world.App.EventEnvelope(e));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        Assert.Equal("db-2 is read-only again", await world.Scalar<string>(
            "select text from timeline_entries where incident_id = @Id and slack_ts = @ts", new { incident.Id, ts }));
        Assert.Equal(before, await world.Scalar<long>(LastInboxId));

        using var home = await world.App.PostEvent(world.App.EventEnvelope(
            new { type = "app_home_opened", user = Bob, channel = "D0BOBINBOX", tab = "home", event_ts = ts }));
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        Assert.True(await world.Scalar<long>(LastInboxId) > before, "app_home_opened is after-ack work: stored in the inbox");
    }
}
