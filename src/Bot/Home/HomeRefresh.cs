using Bot.Database;
using Dapper;
using Npgsql;

namespace Bot.Home;

/// <summary>Asks for the Home tabs of some people to be republished because what they show changed (an action item,
/// a meeting, an incident). Only people who have opened Home have a view to refresh; the changes of
/// <see cref="Delay"/> are coalesced into one <see cref="HomeRefreshJob"/> per person, so a burst of changes (a
/// meeting moved with twenty attendees, ten items closed in a row) is one views.publish each, never a job per event.</summary>
public sealed class HomeRefresh(Db db, TimeProvider time)
{
    /// <summary>How long a refresh waits for more changes to ride along.</summary>
    public static readonly TimeSpan Delay = TimeSpan.FromSeconds(2);

    /// <summary>A refresh pending longer than this lost its job (it gave up): the next change plans a new one.</summary>
    private static readonly TimeSpan PendingLease = TimeSpan.FromMinutes(10);

    /// <summary>Within the transaction that makes the change: the refresh exists only if the change commits.</summary>
    public static async Task Request(NpgsqlConnection conn, TransactionalJobs jobs, IEnumerable<string?> users, DateTimeOffset now, CancellationToken ct)
    {
        var ids = users.OfType<string>().Distinct(StringComparer.Ordinal).ToArray();
        if (ids.Length == 0) return;
        var due = await conn.QueryAsync<(string TeamId, string UserId)>(new CommandDefinition("""
            update home_views set refresh_pending_since = @now
            where user_id = any(@ids) and (refresh_pending_since is null or refresh_pending_since < @stale)
            returning team_id, user_id
            """, new { ids, now, stale = now - PendingLease }, cancellationToken: ct));
        foreach (var (teamId, userId) in due)
            jobs.Schedule<HomeRefreshJob>(j => j.Run(teamId, userId, CancellationToken.None), Delay);
    }

    /// <summary>Everyone the incident's change moves in or out of "Your open incidents": its commander, role holders
    /// and channel members. Others see it when they next open Home (every app_home_opened republishes): refreshing every
    /// Home in the workspace would spend views.publish on views nobody is looking at.</summary>
    public static async Task RequestForIncident(NpgsqlConnection conn, TransactionalJobs jobs, long incidentId, DateTimeOffset now, CancellationToken ct) =>
        await Request(conn, jobs, await conn.QueryAsync<string>(new CommandDefinition("""
            select commander_id from incidents where id = @incidentId
            union select user_id from incident_roles where incident_id = @incidentId
            union select user_id from incident_members where incident_id = @incidentId and is_member
            """, new { incidentId }, cancellationToken: ct)), now, ct);

    /// <summary>In a transaction of its own, for a change already committed.</summary>
    public Task Request(IEnumerable<string?> users, CancellationToken ct) =>
        db.InTransaction((conn, jobs) => Request(conn, jobs, users, time.GetUtcNow(), ct), ct);

    /// <summary>The answer to a click on Home: shown at the top of <paramref name="userId"/>'s next view, which is
    /// republished now.</summary>
    public Task Notice(string userId, string text, CancellationToken ct) =>
        db.InTransaction(async (conn, jobs) =>
        {
            await conn.ExecuteAsync(new CommandDefinition(
                "update home_views set notice = @text where user_id = @userId", new { userId, text }, cancellationToken: ct));
            await Request(conn, jobs, [userId], time.GetUtcNow(), ct);
        }, ct);
}
