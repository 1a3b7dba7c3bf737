using Bot.Database;
using Bot.Tests.Infrastructure;
using Bot.Timeline;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Bot.Tests.Timeline;

/// <summary>Group commit (CaptureBatcher) through TimelineStore against a real PostgreSQL: events submitted together
/// are each answered only once stored, redeliveries in the same batch are stored once, and one event the database
/// refuses fails alone while the rest of its batch commits.</summary>
public sealed class CaptureBatcherTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>, IAsyncLifetime
{
    private BotApp _app = null!;

    public async Task InitializeAsync() => _app = await BotApp.Start(postgres.ConnectionString, "http://127.0.0.1:9/api/");

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task EventsArrivingTogether_WithRedeliveries_AreEachStoredOnce()
    {
        var (channel, incidentId) = await NewIncident();
        var events = Enumerable.Range(0, 120).Select(n => (Id: $"EvB{channel}{n:D4}", Ts: $"1700000000.{n:D6}")).ToList();
        // Every event twice, the copy among the others, all at once: batches hold originals and copies together.
        var deliveries = events.Concat(events.Where((_, i) => i % 3 == 0)).OrderBy(e => e.Ts.GetHashCode()).ToList();

        await using var blocker = await Hold(); // the writers wait, so the deliveries queue up into a few batches
        var writes = deliveries.Select(e => Post(channel, e.Id, e.Ts, $"message {e.Ts}")).ToList();
        await blocker.Release();
        await Task.WhenAll(writes);

        Assert.Equal(120L, await Scalar<long>("select count(*) from timeline_entries where incident_id = @incidentId", new { incidentId }));
        Assert.Equal(120L, await Scalar<long>("select count(distinct slack_ts) from timeline_entries where incident_id = @incidentId", new { incidentId }));
        Assert.Equal(120L, await Scalar<long>("select count(*) from slack_events_processed where event_id like @p", new { p = $"EvB{channel}%" }));
    }

    [Fact]
    public async Task AnEventTheDatabaseRefuses_FailsAlone_AndTheRestOfItsBatchIsStored()
    {
        var (channel, incidentId) = await NewIncident();
        await using var blocker = await Hold();
        var good = Enumerable.Range(0, 30).Select(n => Post(channel, $"EvG{channel}{n:D3}", $"1700000100.{n:D6}", $"fine {n}")).ToList();
        // PostgreSQL text cannot hold NUL: this statement fails inside whatever batch it lands in.
        var bad = Post(channel, $"EvBAD{channel}", "1700000100.999999", "broken \u0000 text");
        good.AddRange(Enumerable.Range(30, 30).Select(n => Post(channel, $"EvG{channel}{n:D3}", $"1700000100.{n:D6}", $"fine {n}")));
        await blocker.Release();

        await Task.WhenAll(good);
        await Assert.ThrowsAnyAsync<Exception>(() => bad);
        Assert.Equal(60L, await Scalar<long>("select count(*) from timeline_entries where incident_id = @incidentId", new { incidentId }));
        Assert.Equal(0L, await Scalar<long>("select count(*) from slack_events_processed where event_id = @id", new { id = $"EvBAD{channel}" }));
    }

    private async Task Post(string channel, string eventId, string ts, string text)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<TimelineStore>()
            .MessagePosted(eventId, channel, new MessageCapture.Posted(ts, null, "U0BATCH", text, []), CancellationToken.None);
    }

    private async Task<(string Channel, long IncidentId)> NewIncident()
    {
        var channel = "CB" + Guid.NewGuid().ToString("N")[..9].ToUpperInvariant();
        await using var connection = await _app.Services.GetRequiredService<Db>().OpenConnectionAsync();
        var id = await connection.ExecuteScalarAsync<long>("""
            insert into incidents (team_id, number, title, commander_id, reporter_id, channel_name, created_at, channel_id)
            values (@channel, 1, 'Batch test', 'U0BATCH', 'U0BATCH', @channel, now(), @channel) returning id
            """, new { channel });
        return (channel, id);
    }

    private async Task<T> Scalar<T>(string sql, object args)
    {
        await using var connection = await _app.Services.GetRequiredService<Db>().OpenConnectionAsync();
        return (await connection.ExecuteScalarAsync<T>(sql, args))!;
    }

    /// <summary>Holds timeline_entries locked until Release, so capture statements wait in their batches.</summary>
    private async Task<Blocker> Hold()
    {
        var connection = new NpgsqlConnection(postgres.ConnectionString);
        await connection.OpenAsync();
        var tx = await connection.BeginTransactionAsync();
        await connection.ExecuteAsync("lock table timeline_entries in exclusive mode", transaction: tx);
        return new Blocker(connection, tx);
    }

    private sealed class Blocker(NpgsqlConnection connection, NpgsqlTransaction tx) : IAsyncDisposable
    {
        private bool _released;

        /// <summary>Once a capture batch is waiting for the lock (the writes submitted before are queued behind it).</summary>
        public async Task Release()
        {
            await Poll.Until(async () => await connection.ExecuteScalarAsync<long>(
                    "select count(*) from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'", transaction: tx),
                n => n > 0, what: "a capture batch waiting for the lock");
            await tx.RollbackAsync();
            _released = true;
        }

        public async ValueTask DisposeAsync()
        {
            if (!_released) await tx.RollbackAsync();
            await connection.DisposeAsync();
        }
    }
}
