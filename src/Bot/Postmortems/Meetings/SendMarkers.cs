using Bot.Database;
using Dapper;

namespace Bot.Postmortems.Meetings;

/// <summary>"Sent" markers for meeting DMs and posts (postmortem_sends). Hangfire may run a job twice, on two
/// instances at once, or again after a crash: a recipient gets each message of a meeting version once.</summary>
public sealed class SendMarkers(Db db, TimeProvider time)
{
    // A claim older than this belongs to a worker that died mid-post; a retry may take it over.
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    /// <summary>True when the caller should post now (the row was not sent, and no fresh claim is held).</summary>
    public async Task<bool> Claim(long incidentId, int version, string kind, string recipient, CancellationToken ct, int round = 0)
    {
        var now = time.GetUtcNow();
        await using var conn = await db.OpenConnectionAsync(ct);
        var claimed = await conn.ExecuteScalarAsync<int?>(new CommandDefinition("""
            insert into postmortem_sends (incident_id, version, kind, recipient, round, claimed_at)
            values (@incidentId, @version, @kind, @recipient, @round, @now)
            on conflict (incident_id, version, kind, recipient, round) do update set claimed_at = excluded.claimed_at
                where postmortem_sends.sent_at is null and postmortem_sends.claimed_at < @stale
            returning 1
            """, new { incidentId, version, kind, recipient, round, now, stale = now - Lease }, cancellationToken: ct));
        return claimed is not null;
    }

    public async Task Sent(long incidentId, int version, string kind, string recipient, CancellationToken ct, int round = 0)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition("""
            update postmortem_sends set sent_at = @now
            where incident_id = @incidentId and version = @version and kind = @kind and recipient = @recipient and round = @round
              and sent_at is null
            """, new { incidentId, version, kind, recipient, round, now = time.GetUtcNow() }, cancellationToken: ct));
    }

    /// <summary>The post failed: drop the claim so Hangfire's retry can post.</summary>
    public async Task Release(long incidentId, int version, string kind, string recipient, int round = 0)
    {
        await using var conn = await db.OpenConnectionAsync();
        await conn.ExecuteAsync("""
            delete from postmortem_sends
            where incident_id = @incidentId and version = @version and kind = @kind and recipient = @recipient and round = @round
              and sent_at is null
            """, new { incidentId, version, kind, recipient, round });
    }

    /// <summary>Claim, post, mark; a failed post releases the claim and rethrows. False: nothing to do.</summary>
    /// <param name="round">For what is told per person (invites, cancellations): which of their messages this is.</param>
    public async Task<bool> Once(long incidentId, int version, string kind, string recipient, Func<Task> post, CancellationToken ct, int round = 0)
    {
        if (!await Claim(incidentId, version, kind, recipient, ct, round)) return false;
        try
        {
            await post();
        }
        catch
        {
            await Release(incidentId, version, kind, recipient, round);
            throw;
        }
        await Sent(incidentId, version, kind, recipient, ct, round);
        return true;
    }

    /// <summary>What a person was last told about the meeting: an invite or a cancellation, for which version, in
    /// which of their rounds.</summary>
    public sealed record Told(string Kind, int Version, int Round);

    /// <summary>The last invite or cancellation DM sent to each person told anything about this meeting.</summary>
    public async Task<IReadOnlyDictionary<string, Told>> LastTold(long incidentId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<(string Recipient, string Kind, int Version, int Round)>(new CommandDefinition("""
            select distinct on (recipient) recipient, kind, version, round from postmortem_sends
            where incident_id = @incidentId and kind in (@invite, @cancel) and sent_at is not null
            order by recipient, round desc, version desc, sent_at desc
            """, new { incidentId, invite = MeetingScheduler.KindInvite, cancel = MeetingScheduler.KindCancel }, cancellationToken: ct));
        return rows.ToDictionary(r => r.Recipient, r => new Told(r.Kind, r.Version, r.Round), StringComparer.Ordinal);
    }
}
