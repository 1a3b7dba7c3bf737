using Bot.Database;
using Dapper;
using Npgsql;

namespace Bot.Postmortems.Meetings;

/// <summary>The meeting row and its attendees. Changes that plan jobs go through <see cref="MeetingScheduler"/>.</summary>
public sealed class MeetingStore(Db db, TimeProvider time)
{
    public async Task<Meeting?> Get(long incidentId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await Get(conn, incidentId, forUpdate: false, ct);
    }

    internal static Task<Meeting?> Get(NpgsqlConnection conn, long incidentId, bool forUpdate, CancellationToken ct) =>
        conn.QuerySingleOrDefaultAsync<Meeting>(new CommandDefinition(
            "select * from postmortem_meetings where incident_id = @incidentId" + (forUpdate ? " for update" : ""),
            new { incidentId }, cancellationToken: ct));

    /// <summary>The meeting row, created (version 0, nothing scheduled) when missing; locked for the transaction.</summary>
    internal static async Task<Meeting> Lock(NpgsqlConnection conn, long incidentId, DateTimeOffset now, CancellationToken ct)
    {
        await conn.ExecuteAsync(new CommandDefinition("""
            insert into postmortem_meetings (incident_id, uid, updated_at) values (@incidentId, @uid, @now)
            on conflict (incident_id) do nothing
            """, new { incidentId, uid = $"postmortem-{incidentId}-{Guid.NewGuid():N}@incident-bot", now }, cancellationToken: ct));
        return (await Get(conn, incidentId, forUpdate: true, ct))!;
    }

    public async Task<IReadOnlyList<Attendee>> Attendees(long incidentId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await Attendees(conn, incidentId, ct);
    }

    internal static async Task<IReadOnlyList<Attendee>> Attendees(NpgsqlConnection conn, long incidentId, CancellationToken ct) =>
        (await conn.QueryAsync<Attendee>(new CommandDefinition("""
            select user_id, optional, reason from postmortem_attendees where incident_id = @incidentId order by optional, added_at, user_id
            """, new { incidentId }, cancellationToken: ct))).AsList();

    /// <summary>Adds suggested attendees once (only while the post-mortem has none): the first
    /// <paramref name="cap"/> invited, the rest optional.</summary>
    internal static async Task Seed(NpgsqlConnection conn, long incidentId, IReadOnlyList<(string UserId, string Reason)> suggested, int cap,
        DateTimeOffset now, CancellationToken ct)
    {
        var any = await conn.ExecuteScalarAsync<bool>(new CommandDefinition(
            "select exists (select 1 from postmortem_attendees where incident_id = @incidentId)", new { incidentId }, cancellationToken: ct));
        if (any) return;
        for (var i = 0; i < suggested.Count; i++)
        {
            await conn.ExecuteAsync(new CommandDefinition("""
                insert into postmortem_attendees (incident_id, user_id, optional, reason, added_at)
                values (@incidentId, @userId, @optional, @reason, @at)
                on conflict do nothing
                """, new { incidentId, userId = suggested[i].UserId, optional = i >= cap, reason = suggested[i].Reason, at = now.AddTicks(i * 10) },
                cancellationToken: ct));
        }
    }

    /// <summary>Invites (or turns optional into invited); returns who was newly invited.</summary>
    public async Task<IReadOnlyList<string>> Invite(long incidentId, IReadOnlyList<string> users, string byUser, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var added = await conn.QueryAsync<string>(new CommandDefinition("""
            insert into postmortem_attendees (incident_id, user_id, optional, reason, added_at)
            select @incidentId, u, false, 'invited by ' || @byUser, @now from unnest(@users) as u
            on conflict (incident_id, user_id) do update set optional = false where postmortem_attendees.optional
            returning user_id
            """, new { incidentId, users = users.ToArray(), byUser, now = time.GetUtcNow() }, cancellationToken: ct));
        return added.AsList();
    }

    public async Task<IReadOnlyList<string>> Uninvite(long incidentId, IReadOnlyList<string> users, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var removed = await conn.QueryAsync<string>(new CommandDefinition("""
            delete from postmortem_attendees where incident_id = @incidentId and user_id = any(@users) returning user_id
            """, new { incidentId, users = users.ToArray() }, cancellationToken: ct));
        return removed.AsList();
    }

    public enum RoleOutcome { Set, Unchanged, HeldByOtherRole }

    /// <summary>Sets moderator or notetaker. One person cannot hold both: the earlier choice is kept. While a meeting is
    /// set, the new holder is told (and invited, when they were not), in jobs planned in the same transaction.</summary>
    public async Task<RoleOutcome> SetRole(long incidentId, bool moderator, string userId, CancellationToken ct)
    {
        return await db.InTransaction(async (conn, jobs) =>
        {
            var meeting = await Lock(conn, incidentId, time.GetUtcNow(), ct);
            var mine = moderator ? meeting.ModeratorId : meeting.NotetakerId;
            var other = moderator ? meeting.NotetakerId : meeting.ModeratorId;
            if (mine == userId) return RoleOutcome.Unchanged;
            if (other == userId) return RoleOutcome.HeldByOtherRole;
            await conn.ExecuteAsync(new CommandDefinition(
                $"update postmortem_meetings set {(moderator ? "moderator_id" : "notetaker_id")} = @userId, updated_at = @now where incident_id = @incidentId",
                new { incidentId, userId, now = time.GetUtcNow() }, cancellationToken: ct));
            // A role holder attends.
            await conn.ExecuteAsync(new CommandDefinition("""
                insert into postmortem_attendees (incident_id, user_id, optional, reason, added_at)
                values (@incidentId, @userId, false, @reason, @now)
                on conflict (incident_id, user_id) do update set optional = false
                """, new { incidentId, userId, reason = moderator ? "moderator" : "notetaker", now = time.GetUtcNow() }, cancellationToken: ct));
            await Home.HomeRefresh.Request(conn, jobs, [mine, userId], time.GetUtcNow(), ct);
            if (meeting.IsScheduled && meeting.Start > time.GetUtcNow())
            {
                var version = meeting.Version;
                jobs.Enqueue<MeetingNoticeJob>(j => j.Run(incidentId, version, CancellationToken.None));
                jobs.Enqueue<MeetingRoleJob>(j => j.Run(incidentId, version, moderator, userId, CancellationToken.None));
            }
            return RoleOutcome.Set;
        }, ct);
    }
}
