using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;
using System.Threading.Channels;
using Npgsql;
using NpgsqlTypes;

namespace Bot.Timeline;

/// <summary>One capture statement with its parameters, as <see cref="TimelineStore"/> builds it (named @Parameters,
/// sent positionally: see <see cref="Positional"/>).</summary>
public sealed class CaptureWrite(string eventId, string channel, string sql)
{
    public string EventId { get; } = eventId;
    public string Channel { get; } = channel;
    public string Sql { get; } = sql;
    internal List<(string Name, object? Value, NpgsqlDbType Type)> Values { get; } = new(14);

    /// <summary>Set when this write may share one multi-row statement with the other writes of its batch that have
    /// the same bulk statement (<see cref="InBulk"/>).</summary>
    public string? BulkSql { get; private set; }

    /// <summary>The row the bulk statement writes: two writes of one row never share a statement (PostgreSQL's
    /// ON CONFLICT DO UPDATE cannot touch a row twice in one statement), the second is sent on its own.</summary>
    public string? RowKey { get; private set; }

    public CaptureWrite Add(string name, object? value, NpgsqlDbType type)
    {
        Values.Add((name, value, type));
        return this;
    }

    /// <summary>This write may go in one multi-row statement with others: <paramref name="bulkSql"/> reads each
    /// @Parameter as an array holding that parameter of every write in it, in order (text, timestamptz and boolean
    /// parameters only), and does for all of them what this write's own statement does for one.</summary>
    public CaptureWrite InBulk(string bulkSql, string rowKey)
    {
        BulkSql = bulkSql;
        RowKey = rowKey;
        return this;
    }

    /// <summary>The statement for a batch: parameters in the order of the positional text.</summary>
    internal NpgsqlBatchCommand ToBatchCommand()
    {
        var (text, order) = Positional.For(Sql);
        var command = new NpgsqlBatchCommand(text);
        foreach (var name in order)
        {
            var (_, value, type) = Values.Find(v => v.Name == name);
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = type, Value = value ?? DBNull.Value });
        }
        return command;
    }

    /// <summary>One statement for several writes of the same bulk statement: each parameter an array, one element per write.</summary>
    internal static NpgsqlBatchCommand ToBulkCommand(List<CaptureWrite> writes)
    {
        var (text, order) = Positional.For(writes[0].BulkSql!);
        var command = new NpgsqlBatchCommand(text);
        foreach (var name in order)
        {
            var type = writes[0].Value(name).Type;
            command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | type, Value = Column(writes, name, type) });
        }
        return command;
    }

    private static Array Column(List<CaptureWrite> writes, string name, NpgsqlDbType type)
    {
        switch (type)
        {
            case NpgsqlDbType.Text:
                var texts = new string?[writes.Count];
                for (var i = 0; i < texts.Length; i++) texts[i] = (string?)writes[i].Value(name).Value;
                return texts;
            case NpgsqlDbType.TimestampTz:
                var instants = new DateTimeOffset?[writes.Count];
                for (var i = 0; i < instants.Length; i++) instants[i] = (DateTimeOffset?)writes[i].Value(name).Value;
                return instants;
            case NpgsqlDbType.Boolean:
                var flags = new bool?[writes.Count];
                for (var i = 0; i < flags.Length; i++) flags[i] = (bool?)writes[i].Value(name).Value;
                return flags;
            default:
                throw new NotSupportedException($"A bulk capture parameter must be text, timestamptz or boolean (@{name} is {type})");
        }
    }

    private (object? Value, NpgsqlDbType Type) Value(string name)
    {
        foreach (var (n, value, type) in Values)
            if (n == name) return (value, type);
        throw new InvalidOperationException($"The capture write of event {EventId} has no @{name} for its bulk statement");
    }
}

/// <summary>The capture statements are a handful of constants: each is turned once from @Name to $n, so Npgsql neither
/// parses nor rewrites the SQL text per event, and the statement can stay prepared on the writer's connection.</summary>
internal static partial class Positional
{
    private static readonly ConcurrentDictionary<string, (string Text, string[] Order)> Cache = new(ReferenceEqualityComparer.Instance);

    public static (string Text, string[] Order) For(string sql) => Cache.GetOrAdd(sql, static sql =>
    {
        var order = new List<string>();
        var text = Parameter().Replace(sql, m =>
        {
            var at = order.IndexOf(m.Groups[1].Value);
            if (at < 0)
            {
                order.Add(m.Groups[1].Value);
                at = order.Count - 1;
            }
            return "$" + (at + 1).ToString(CultureInfo.InvariantCulture);
        });
        return (text, order.ToArray());
    });

    [GeneratedRegex(@"(?<![@\w])@(\w+)")]
    private static partial Regex Parameter();
}

/// <summary>Group commit for the capture path. The capture statements of events that arrive together are sent in
/// one round trip (an NpgsqlBatch, one implicit transaction, one commit) by a few writer loops, and each request is
/// answered when its batch committed. Every statement is the same order-independent statement as before, run one
/// after the other in the transaction, so the semantics do not change: a redelivery in the same batch finds its
/// event id already recorded by the earlier statement. Events are spread over the writers by channel, so two
/// writers never touch the same rows (no lock waits or deadlocks between batches). A batch that fails is retried
/// statement by statement, so one refused event is answered 503 alone and the others still commit.</summary>
/// <remarks>What earlier attempts taught (docs/benchmarks.md): statements sent one by one inside a single writer
/// serialised the round trips and made the tail worse; here a batch is one round trip, commit included, however
/// many events it holds, and the next batch fills while this one commits.</remarks>
public sealed class CaptureBatcher : BackgroundService
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly ILogger<CaptureBatcher> _log;
    private readonly Channel<Pending>[] _lanes;
    private readonly int _maxBatch;
    private volatile bool _stopped;
    private long _bulkRows;

    private long _submitted;

    /// <summary>How many writes went in a multi-row statement since the start (for tests and the benchmark).</summary>
    internal long BulkRows => Interlocked.Read(ref _bulkRows);

    /// <summary>How many writes were submitted since the start (tests: an event that needs no write submits none).</summary>
    internal long Submitted => Interlocked.Read(ref _submitted);

    private readonly record struct Pending(CaptureWrite Write, TaskCompletionSource Done);

    /// <summary>The writes of one batch that share a bulk statement, and the rows they write.</summary>
    private sealed class BulkGroup(int capacity)
    {
        public List<CaptureWrite> Writes { get; } = new(capacity);
        public HashSet<string> Rows { get; } = new(StringComparer.Ordinal);
    }

    public CaptureBatcher(NpgsqlDataSource dataSource, ILogger<CaptureBatcher> log, int writers = 2, int maxBatch = 64)
    {
        _dataSource = dataSource;
        _log = log;
        _maxBatch = maxBatch;
        _lanes = new Channel<Pending>[Math.Max(1, writers)];
        for (var i = 0; i < _lanes.Length; i++)
            _lanes[i] = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    }

    /// <summary>Completes when the write committed; throws when the database refused it.</summary>
    public Task Submit(CaptureWrite write)
    {
        if (_stopped) throw new OperationCanceledException("the bot is stopping");
        Interlocked.Increment(ref _submitted);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var lane = _lanes[(uint)string.GetHashCode(write.Channel, StringComparison.Ordinal) % (uint)_lanes.Length];
        if (!lane.Writer.TryWrite(new Pending(write, done)))
            throw new OperationCanceledException("the bot is stopping");
        return done.Task;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(_lanes.Select(lane => Task.Run(() => Writer(lane.Reader), CancellationToken.None)));

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // Stop taking new writes, let the writers finish what is queued (the requests are waiting for it), then stop.
        _stopped = true;
        foreach (var lane in _lanes) lane.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
    }

    private async Task Writer(ChannelReader<Pending> reader)
    {
        var batch = new List<Pending>(_maxBatch);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        NpgsqlConnection? connection = null;
        try
        {
            while (await reader.WaitToReadAsync(CancellationToken.None))
            {
                batch.Clear();
                while (batch.Count < _maxBatch && reader.TryRead(out var pending)) batch.Add(pending);
                connection = await Write(connection, batch, seen);
            }
        }
        finally
        {
            if (connection is not null) await connection.DisposeAsync();
        }
    }

    /// <summary>Writes the batch (one transaction) or, when that fails, each write alone. Returns the connection to
    /// keep using (null when it broke).</summary>
    private async Task<NpgsqlConnection?> Write(NpgsqlConnection? connection, List<Pending> batch, HashSet<string> seen)
    {
        try
        {
            connection ??= await Open();
            await Commit(connection, batch, seen);
            foreach (var p in batch) p.Done.TrySetResult();
            return connection;
        }
        catch (Exception ex) when (batch.Count > 1)
        {
            _log.LogWarning(ex, "A capture batch of {Count} events failed; writing them one by one", batch.Count);
            connection = await Discard(connection);
        }
        catch (Exception ex)
        {
            foreach (var p in batch) p.Done.TrySetException(ex);
            return await Discard(connection);
        }

        var single = new List<Pending>(1) { default };
        foreach (var p in batch)
        {
            single[0] = p;
            try
            {
                connection ??= await Open();
                await Commit(connection, single, seen);
                p.Done.TrySetResult();
            }
            catch (Exception ex)
            {
                p.Done.TrySetException(ex);
                connection = await Discard(connection);
            }
        }
        return connection;
    }

    private async Task Commit(NpgsqlConnection connection, List<Pending> batch, HashSet<string> seen)
    {
        seen.Clear();
        // No explicit transaction: Npgsql sends a batch with one Sync at its end, so PostgreSQL runs it as one implicit
        // transaction that commits when the last statement succeeded and rolls back whole if any fails (error barriers
        // are off). BEGIN and COMMIT would cost a round trip of their own; this is one round trip per batch.
        await using var command = new NpgsqlBatch(connection);
        Dictionary<string, BulkGroup>? bulks = null;
        foreach (var (write, _) in batch)
        {
            // The same event twice in one batch (Slack's redelivery arriving with the original) is written once;
            // both requests are answered with the batch.
            if (!seen.Add(write.EventId)) continue;
            // Writes that share a bulk statement go in it, one row each: the statement's bind, executor start and
            // CTEs once per batch instead of once per event (PostgreSQL's CPU per message fell by a quarter);
            // a second write of the same row goes alone. Every capture statement gives the same result in any
            // order, so which of them runs first in the transaction does not matter.
            if (write.BulkSql is { } bulkSql)
            {
                bulks ??= new Dictionary<string, BulkGroup>(ReferenceEqualityComparer.Instance);
                if (!bulks.TryGetValue(bulkSql, out var group)) bulks[bulkSql] = group = new BulkGroup(batch.Count);
                if (group.Rows.Add(write.RowKey!))
                {
                    group.Writes.Add(write);
                    continue;
                }
            }
            command.BatchCommands.Add(write.ToBatchCommand());
        }
        var bulkRows = 0;
        if (bulks is not null)
            foreach (var (_, group) in bulks)
            {
                if (group.Writes.Count == 1)
                {
                    command.BatchCommands.Add(group.Writes[0].ToBatchCommand());
                    continue;
                }
                command.BatchCommands.Add(CaptureWrite.ToBulkCommand(group.Writes));
                bulkRows += group.Writes.Count;
            }
        // Prepared once per statement and connection (Npgsql skips what this connection has prepared already), so
        // PostgreSQL neither parses nor plans each event's statement again.
        await command.PrepareAsync();
        await command.ExecuteNonQueryAsync();
        if (bulkRows > 0) Interlocked.Add(ref _bulkRows, bulkRows);
    }

    /// <summary>A writer's own connection, held while it works. The ack waits for the commit, so the commit does not
    /// wait for the WAL flush as well (as before group commit): it is visible at once and survives a crash of the bot;
    /// only a crash of the PostgreSQL server itself in the next ~0.6 s (3 x wal_writer_delay) could undo it. Set for
    /// the session, once per connection; the pool's reset (RESET ALL among its statements) clears it when the connection goes back.</summary>
    private async Task<NpgsqlConnection> Open()
    {
        var connection = await _dataSource.OpenConnectionAsync();
        try
        {
            await using var set = new NpgsqlCommand("set synchronous_commit = off", connection);
            await set.ExecuteNonQueryAsync();
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private static async Task<NpgsqlConnection?> Discard(NpgsqlConnection? connection)
    {
        if (connection is not null) await connection.DisposeAsync();
        return null;
    }
}
