using System.Diagnostics;
using Bot.Slack.Dispatch;
using Bot.Slack.Handlers;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace Bot.Inbox;

/// <summary>The Slack inbox in PostgreSQL (table slack_inbox, migration 0035). The insert before the ack is one
/// prepared statement. An interaction's commits with the server's synchronous_commit (on by default: it survives a
/// crash of the PostgreSQL server too); an event's, like capture's, does not wait for the WAL flush, so only a crash
/// of the server itself in the next ~0.6 s could undo it (docs/reliability.md, "Nothing acked is lost").
/// Rows belong to this process (<see cref="Owner"/>) while it renews its lease; it refuses to store while its lease
/// may have run out, so no replica takes live work for abandoned.</summary>
public sealed class PostgresSlackInbox(NpgsqlDataSource dataSource, IOptions<InboxOptions> options) : ISlackInbox
{
    /// <summary>This process, for as long as it runs.</summary>
    public Guid Owner { get; } = Guid.NewGuid();

    // Stopwatch ticks until which the lease is surely held: taken when the renewal was sent, less a poll of margin.
    private long _leasedUntil;

    private bool Leased => Stopwatch.GetTimestamp() < Interlocked.Read(ref _leasedUntil);

    public async Task<long?> Store(SlackInboxItem item, CancellationToken ct)
    {
        if (!Leased) return null;
        try
        {
            return await Insert(item, ct);
        }
        catch (NpgsqlException e)
        {
            ForgetDeadConnections(e);
            throw;
        }
    }

    private async Task<long?> Insert(SlackInboxItem item, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        // Events are many (every message of an incident when capture runs after the ack): like capture's own write
        // they do not wait for the WAL flush. A click is one person's and Slack never sends it again: it waits.
        var events = item.Kind == SlackInboxKind.Event;
        await using var tx = events ? await connection.BeginTransactionAsync(ct) : null;
        // One round trip for the insert (Npgsql sends BEGIN with it), one for the commit.
        await using var batch = new NpgsqlBatch(connection, tx);
        var insert = new NpgsqlBatchCommand(
            "insert into slack_inbox (kind, transport, partition_key, body, owner) values ($1, $2, $3, $4, $5) returning id");
        insert.Parameters.Add(new NpgsqlParameter<short> { TypedValue = (short)item.Kind });
        insert.Parameters.Add(new NpgsqlParameter<short> { TypedValue = (short)item.Transport });
        insert.Parameters.Add(new NpgsqlParameter { Value = (object?)item.Partition ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = item.Body });
        insert.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = Owner });
        batch.BatchCommands.Add(insert);
        // Read at commit, so it may follow the insert (whose id is then the batch's first result).
        if (events) batch.BatchCommands.Add(new NpgsqlBatchCommand("set local synchronous_commit = off"));
        // Prepared once per physical connection; Npgsql keeps it across pooled opens.
        await batch.PrepareAsync(ct);
        var id = (long)(await batch.ExecuteScalarAsync(ct))!;
        if (tx is not null) await tx.CommitAsync(ct);
        return id;
    }

    public async Task Done(long id, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var command = new NpgsqlCommand("delete from slack_inbox where id = $1", connection);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = id });
        await command.PrepareAsync(ct);
        await command.ExecuteNonQueryAsync(ct);
    }

    public async Task<bool> Reclaim(long id, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var command = new NpgsqlCommand(
            "update slack_inbox set attempts = attempts + 1 where id = $1 and owner = $2", connection);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = id });
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = Owner });
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }

    public async Task<IReadOnlyList<SlackInboxRow>> ClaimAbandoned(int max, CancellationToken ct)
    {
        try
        {
            return await Claim(max, ct);
        }
        catch (NpgsqlException e)
        {
            ForgetDeadConnections(e);
            throw;
        }
    }

    /// <summary>After the server restarted, every idle pooled connection is dead and would fail its next command
    /// once (57P01 and the like), one Slack request each. Clearing the pool when the first one fails lets the
    /// next requests open fresh connections; the whole app shares this pool, so capture and jobs recover too.</summary>
    private void ForgetDeadConnections(NpgsqlException e)
    {
        if (e is PostgresException { SqlState: not ("57P01" or "57P02" or "57P03") }) return;
        dataSource.Clear();
    }

    private async Task<IReadOnlyList<SlackInboxRow>> Claim(int max, CancellationToken ct)
    {
        var o = options.Value;
        var sent = Stopwatch.GetTimestamp();
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        // The lease first, in its own statement (autocommit): the claim below must not hold it back.
        await using (var renew = new NpgsqlCommand("""
            insert into slack_inbox_owners (owner, alive_until) values ($1, now() + $2)
            on conflict (owner) do update set alive_until = excluded.alive_until
            """, connection))
        {
            renew.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = Owner });
            renew.Parameters.Add(new NpgsqlParameter<TimeSpan> { TypedValue = o.OwnerTimeout });
            await renew.ExecuteNonQueryAsync(ct);
        }
        var margin = o.OwnerTimeout - o.PollInterval;
        Interlocked.Exchange(ref _leasedUntil, sent + (long)(Math.Max(0, margin.TotalSeconds) * Stopwatch.Frequency));

        // Rows whose owner's lease ran out (or who left), oldest first; SKIP LOCKED so two replicas claiming at
        // once split them instead of both taking one. Owners gone for an hour with nothing left are forgotten.
        await using var claim = new NpgsqlCommand("""
            with abandoned as (
                select i.id from slack_inbox i
                where i.owner <> $1
                  and not exists (select 1 from slack_inbox_owners o where o.owner = i.owner and o.alive_until > now())
                order by i.id
                limit $2
                for update of i skip locked
            ),
            forgotten as (
                delete from slack_inbox_owners o where o.alive_until < now() - interval '1 hour'
                  and not exists (select 1 from slack_inbox i where i.owner = o.owner)
            )
            update slack_inbox i set owner = $1, attempts = i.attempts + 1
            from abandoned a where i.id = a.id
            returning i.id, i.kind, i.transport, i.partition_key, i.body, i.attempts
            """, connection);
        claim.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = Owner });
        claim.Parameters.Add(new NpgsqlParameter<int> { TypedValue = max });
        var rows = new List<SlackInboxRow>();
        await using var reader = await claim.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var item = new SlackInboxItem((SlackInboxKind)reader.GetInt16(1), (SlackTransport)reader.GetInt16(2),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetString(4));
            rows.Add(new SlackInboxRow(reader.GetInt64(0), item, reader.GetInt32(5)));
        }
        return rows;
    }

    public async Task Leave(CancellationToken ct)
    {
        Interlocked.Exchange(ref _leasedUntil, 0);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var command = new NpgsqlCommand("delete from slack_inbox_owners where owner = $1", connection);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = Owner });
        await command.ExecuteNonQueryAsync(ct);
    }
}
