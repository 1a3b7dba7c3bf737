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

    /// <summary>Messages, edits and deletes of the same messages (several versions of one message in one batch, so
    /// some share the batch's one statement for messages and the others go alone), in four orders: each ends exactly
    /// as the same events written one at a time.</summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public async Task MessagesEditsAndDeletes_WrittenTogether_EndAsWrittenOneByOne(int order)
    {
        var (alone, aloneIncident) = await NewIncident();
        var (together, togetherIncident) = await NewIncident();
        var events = MessageLife(24).ToList();
        var shuffled = order == 1 ? events : events.OrderBy(e => (e.Id + order).GetHashCode()).ToList();
        if (order == 2) shuffled.Reverse();

        foreach (var e in shuffled) await e.Write(this, alone, alone + e.Id);
        var bulkRowsBefore = _app.Services.GetRequiredService<CaptureBatcher>().BulkRows;
        await using (var blocker = await Hold())
        {
            var writes = shuffled.Select(e => e.Write(this, together, together + e.Id)).ToList();
            await blocker.Release();
            await Task.WhenAll(writes);
        }

        // The batch's messages statement took a share of them (else this test would compare single statements only).
        Assert.True(_app.Services.GetRequiredService<CaptureBatcher>().BulkRows - bulkRowsBefore >= 24);
        const string rows = """
            select slack_ts, thread_ts, user_id, text, text_at, occurred_at, edited, edited_at, deleted_at
            from timeline_entries where incident_id = @id order by slack_ts
            """;
        var expected = await Rows(rows, aloneIncident);
        Assert.Equal(24, expected.Count);
        Assert.Contains(expected, r => r.Contains("deleted_at=2023"));
        Assert.Contains(expected, r => r.Contains("edited=True"));
        Assert.Equal(expected, await Rows(rows, togetherIncident));
    }

    private sealed record Captured(string Id, Func<TimelineStore, string, string, Task> Apply)
    {
        public async Task Write(CaptureBatcherTests test, string channel, string eventId)
        {
            await using var scope = test._app.Services.CreateAsyncScope();
            await Apply(scope.ServiceProvider.GetRequiredService<TimelineStore>(), channel, eventId);
        }
    }

    /// <summary>For each of n messages: posted, then edited twice (every message), deleted (every third), and an unfurl
    /// change that is not an edit (every fourth).</summary>
    private static IEnumerable<Captured> MessageLife(int n)
    {
        for (var i = 0; i < n; i++)
        {
            var ts = $"1700000200.{i:D6}";
            var thread = i % 5 == 0 ? null : "1700000200.000000";
            yield return new Captured($"P{i}", (s, c, id) => s.MessagePosted(id, c, new MessageCapture.Posted(ts, thread, "U0BATCH", $"first {i}", []), default));
            yield return new Captured($"E{i}a", (s, c, id) => s.MessageChanged(id, c,
                new MessageCapture.Changed(ts, thread, "U0BATCH", $"second {i}", true, $"1700000300.{i:D6}"), default));
            yield return new Captured($"E{i}b", (s, c, id) => s.MessageChanged(id, c,
                new MessageCapture.Changed(ts, thread, "U0BATCH", $"third {i}", true, $"1700000400.{i:D6}"), default));
            if (i % 3 == 0)
                yield return new Captured($"D{i}", (s, c, id) => s.MessageDeleted(id, c,
                    new MessageCapture.Deleted(ts, thread, "U0BATCH", $"third {i}", $"1700000400.{i:D6}", $"1700000500.{i:D6}"), default));
            if (i % 4 == 0)
                yield return new Captured($"U{i}", (s, c, id) => s.MessageChanged(id, c,
                    new MessageCapture.Changed(ts, thread, "U0BATCH", $"unfurled {i}", false, null, $"1700000450.{i:D6}"), default));
        }
    }

    private async Task<List<string>> Rows(string sql, long id)
    {
        await using var connection = await _app.Services.GetRequiredService<Db>().OpenConnectionAsync();
        var rows = await connection.QueryAsync(sql, new { id });
        return rows.Select(r => string.Join(" ", ((IDictionary<string, object?>)r).Select(kv => $"{kv.Key}={Format(kv.Value)}"))).ToList();
    }

    private static string? Format(object? value) => value is DateTime d ? d.ToUniversalTime().ToString("O") : value?.ToString();

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
            // Asked on a connection of its own: inside the lock's transaction pg_stat_activity is the snapshot of its
            // first read, and would never show a batch that reached the lock after it.
            await using var watcher = new NpgsqlConnection(connection.ConnectionString);
            await watcher.OpenAsync();
            await Poll.Until(async () => await watcher.ExecuteScalarAsync<long>(
                    "select count(*) from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'"),
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
