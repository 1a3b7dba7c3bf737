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
    public async Task<bool> Claim(long incidentId, int version, string kind, string recipient, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using var conn = await db.OpenConnectionAsync(ct);
        var claimed = await conn.ExecuteScalarAsync<int?>(new CommandDefinition("""
            insert into postmortem_sends (incident_id, version, kind, recipient, claimed_at)
            values (@incidentId, @version, @kind, @recipient, @now)
            on conflict (incident_id, version, kind, recipient) do update set claimed_at = excluded.claimed_at
                where postmortem_sends.sent_at is null and postmortem_sends.claimed_at < @stale
            returning 1
            """, new { incidentId, version, kind, recipient, now, stale = now - Lease }, cancellationToken: ct));
        return claimed is not null;
    }

    public async Task Sent(long incidentId, int version, string kind, string recipient, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition("""
            update postmortem_sends set sent_at = @now
            where incident_id = @incidentId and version = @version and kind = @kind and recipient = @recipient and sent_at is null
            """, new { incidentId, version, kind, recipient, now = time.GetUtcNow() }, cancellationToken: ct));
    }

    /// <summary>The post failed: drop the claim so Hangfire's retry can post.</summary>
    public async Task Release(long incidentId, int version, string kind, string recipient)
    {
        await using var conn = await db.OpenConnectionAsync();
        await conn.ExecuteAsync("""
            delete from postmortem_sends
            where incident_id = @incidentId and version = @version and kind = @kind and recipient = @recipient and sent_at is null
            """, new { incidentId, version, kind, recipient });
    }

    /// <summary>Claim, post, mark; a failed post releases the claim and rethrows. False: nothing to do.</summary>
    public async Task<bool> Once(long incidentId, int version, string kind, string recipient, Func<Task> post, CancellationToken ct)
    {
        if (!await Claim(incidentId, version, kind, recipient, ct)) return false;
        try
        {
            await post();
        }
        catch
        {
            await Release(incidentId, version, kind, recipient);
            throw;
        }
        await Sent(incidentId, version, kind, recipient, ct);
        return true;
    }

    /// <summary>Who was sent an invite for any version of the meeting (they get the cancellation).</summary>
    public async Task<IReadOnlyList<string>> InvitedEver(long incidentId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<string>(new CommandDefinition("""
            select distinct recipient from postmortem_sends where incident_id = @incidentId and kind = 'invite' and sent_at is not null
            """, new { incidentId }, cancellationToken: ct));
        return rows.AsList();
    }
}
