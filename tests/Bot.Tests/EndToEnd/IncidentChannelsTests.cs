using System.Net;
using Bot.Tests.Infrastructure;
using Bot.Timeline;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using static Bot.Tests.EndToEnd.IncidentWorld;

namespace Bot.Tests.EndToEnd;

/// <summary>The in-memory set of incident channels (IncidentChannels), through signed HTTP events and PostgreSQL: an
/// event from any other channel is acked without a write, and a channel that becomes an incident's on another instance
/// (here: plain SQL, as the opening job of another replica would commit it) is captured from the next event on, with no
/// wait in between, even right after the commit.</summary>
public sealed class IncidentChannelsTests(IncidentWorld world) : IClassFixture<IncidentWorld>
{
    private IncidentChannels Channels => world.App.Services.GetRequiredService<IncidentChannels>();
    private CaptureBatcher Batcher => world.App.Services.GetRequiredService<CaptureBatcher>();

    [Fact]
    public async Task Message_InAChannelThatIsNoIncidents_IsAcked_WithoutAWrite()
    {
        await Poll.Until(() => Task.FromResult(Channels.Loaded), loaded => loaded, what: "the incident channels loaded");
        var channel = NewChannelId();
        var before = Batcher.Submitted;

        var (status, eventId) = await Message(channel, "lunch at noon?");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(before, Batcher.Submitted);
        Assert.Equal(0L, await world.Scalar<long>("select count(*) from slack_events_processed where event_id = @eventId", new { eventId }));
    }

    [Fact]
    public async Task Channel_MadeAnIncidentsElsewhere_IsCapturedFromTheNextEvent_EvenRightAfterTheCommit()
    {
        await Poll.Until(() => Task.FromResult(Channels.Loaded), loaded => loaded, what: "the incident channels loaded");
        for (var i = 0; i < 10; i++)
        {
            var channel = NewChannelId();
            var (_, early) = await Message(channel, "before the incident");
            long incidentId;
            await using (var other = await world.Db())
                incidentId = await other.ExecuteScalarAsync<long>("""
                    insert into incidents (team_id, number, title, commander_id, reporter_id, channel_name, created_at, channel_id)
                    values (@channel, 1, 'Elsewhere', @Ada, @Ada, @channel, now(), @channel) returning id
                    """, new { channel, Ada });

            var (status, _) = await Message(channel, $"right after the commit {i}");

            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal(new[] { $"right after the commit {i}" }, (await world.Scalar<string[]>(
                "select array_agg(text) from timeline_entries where incident_id = @incidentId", new { incidentId })));
            Assert.Equal(0L, await world.Scalar<long>("select count(*) from slack_events_processed where event_id = @early", new { early }));
        }
    }

    [Fact]
    public async Task Channel_NoLongerAnIncidents_IsNotWritten_AndTheNextIncidentInItIs()
    {
        await Poll.Until(() => Task.FromResult(Channels.Loaded), loaded => loaded, what: "the incident channels loaded");
        var channel = NewChannelId();
        await using var other = await world.Db();
        var first = await other.ExecuteScalarAsync<long>("""
            insert into incidents (team_id, number, title, commander_id, reporter_id, channel_name, created_at, channel_id)
            values (@channel, 1, 'Moved', @Ada, @Ada, @channel, now(), @channel) returning id
            """, new { channel, Ada });
        await Message(channel, "captured");
        await other.ExecuteAsync("update incidents set channel_id = null where id = @first", new { first });
        var before = Batcher.Submitted;

        var (status, gone) = await Message(channel, "after the channel was taken off");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(before, Batcher.Submitted);
        Assert.Equal(0L, await world.Scalar<long>("select count(*) from slack_events_processed where event_id = @gone", new { gone }));
        var second = await other.ExecuteScalarAsync<long>("""
            insert into incidents (team_id, number, title, commander_id, reporter_id, channel_name, created_at, channel_id)
            values (@channel, 2, 'Again', @Ada, @Ada, @channel, now(), @channel) returning id
            """, new { channel, Ada });
        await Message(channel, "the new incident");
        Assert.Equal(new[] { "captured" }, await world.Scalar<string[]>("select array_agg(text) from timeline_entries where incident_id = @first", new { first }));
        Assert.Equal(new[] { "the new incident" }, await world.Scalar<string[]>("select array_agg(text) from timeline_entries where incident_id = @second", new { second }));
    }

    /// <summary>Without its notifications this instance knows nothing for certain: every event is written (the
    /// statement decides) until it listens again, and then it knows what changed while it was not listening.</summary>
    [Fact]
    public async Task ListeningConnectionLost_EveryEventIsWritten_AndWhatChangedMeanwhileIsKnownAfter()
    {
        await Poll.Until(() => Task.FromResult(Channels.Loaded), loaded => loaded, what: "the incident channels loaded");
        Assert.Equal(1L, await world.Scalar<long>("""
            select count(pg_terminate_backend(pid)) from pg_stat_activity
            where datname = current_database() and query = 'select channel_id from incidents where channel_id is not null'
            """));
        await Poll.Until(() => Task.FromResult(Channels.Loaded), loaded => !loaded, what: "the listener to notice");
        var before = Batcher.Submitted;
        var (status, _) = await Message(NewChannelId(), "while not listening");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(before + 1, Batcher.Submitted);

        var channel = NewChannelId();
        await using (var other = await world.Db())
            await other.ExecuteAsync("""
                insert into incidents (team_id, number, title, commander_id, reporter_id, channel_name, created_at, channel_id)
                values (@channel, 1, 'Meanwhile', @Ada, @Ada, @channel, now(), @channel)
                """, new { channel, Ada });
        await Poll.Until(() => Task.FromResult(Channels.Loaded), loaded => loaded, what: "listening again");
        Assert.True(await Channels.MayBeIncidentChannel(channel, CancellationToken.None));
        Assert.False(await Channels.MayBeIncidentChannel(NewChannelId(), CancellationToken.None));
    }

    private async Task<(HttpStatusCode Status, string EventId)> Message(string channel, string text)
    {
        var eventId = "EvICH" + Guid.NewGuid().ToString("N")[..10];
        var ts = $"{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}.{Random.Shared.Next(1_000_000):D6}";
        using var response = await world.App.PostEvent(world.App.EventEnvelope(
            new { type = "message", channel, channel_type = "channel", user = Bob, text, ts, event_ts = ts }, eventId));
        return (response.StatusCode, eventId);
    }

    private static string NewChannelId() => "CICH" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
}
