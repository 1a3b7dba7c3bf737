using Bot.Database;
using Bot.Incidents;
using Dapper;

namespace Bot.Home;

/// <summary>What the Home tab lists, one query each, every row carrying the list's full count (for "…and N more").</summary>
public sealed class HomeQueries(Db db)
{
    public abstract record Counted
    {
        public long Total { get; init; }
    }

    public sealed record OpenIncident : Counted
    {
        public int Number { get; init; }
        public string Title { get; init; } = "";
        public string? Severity { get; init; }
        public string Status { get; init; } = "";
        public string? ChannelId { get; init; }
        public string CommanderId { get; init; } = "";
        public bool IsPrivate { get; init; }
        public bool ChannelFailed { get; init; }
        /// <summary>"commander", "comms" ... what the person is in it; null for a plain channel member.</summary>
        public string? MyRole { get; init; }
    }

    public sealed record UpcomingMeeting : Counted
    {
        public int Number { get; init; }
        public string Title { get; init; } = "";
        public string? ChannelId { get; init; }
        public DateTime StartsAt { get; init; }
        public int? DurationMinutes { get; init; }
        public string? ModeratorId { get; init; }
        public string? NotetakerId { get; init; }
    }

    private const string IncidentColumns = """
        i.number, i.title, i.severity, i.status, i.channel_id, i.commander_id, i.is_private,
        i.channel_failed_at is not null as channel_failed, count(*) over () as total
        """;

    /// <summary>The workspace's open incidents, newest first; a private one only for the members of its channel.</summary>
    public async Task<IReadOnlyList<OpenIncident>> OpenIncidents(string teamId, string userId, int limit, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return (await conn.QueryAsync<OpenIncident>(new CommandDefinition($$"""
            select {{IncidentColumns}}
            from incidents i
            where i.team_id = @teamId and i.resolved_at is null and {{IncidentVisibility.VisibleToUser}}
            order by i.number desc
            limit @limit
            """, new { teamId, userId, limit }, cancellationToken: ct))).AsList();
    }

    /// <summary>"Yours": open incidents the person commands, holds a role in, or whose channel they are in (a
    /// responder is in the channel; the commander or a role holder may not be yet, and it is theirs all the same).
    /// The visibility rule still applies: a private incident's role holder outside its channel does not see it.</summary>
    public async Task<IReadOnlyList<OpenIncident>> MyOpenIncidents(string teamId, string userId, int limit, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return (await conn.QueryAsync<OpenIncident>(new CommandDefinition($$"""
            select {{IncidentColumns}},
                   nullif(concat_ws(', ', case when i.commander_id = @userId then 'commander' end,
                                    (select string_agg(r.role, ', ' order by r.role) from incident_roles r
                                     where r.incident_id = i.id and r.user_id = @userId)), '') as my_role
            from incidents i
            where i.team_id = @teamId and i.resolved_at is null and {{IncidentVisibility.VisibleToUser}}
              and (i.commander_id = @userId
                   or exists (select 1 from incident_roles r where r.incident_id = i.id and r.user_id = @userId)
                   or exists (select 1 from incident_members m where m.incident_id = i.id and m.user_id = @userId and m.is_member))
            order by i.number desc
            limit @limit
            """, new { teamId, userId, limit }, cancellationToken: ct))).AsList();
    }

    /// <summary>Set meetings not yet over that the person is invited to (optional suggestions are not invitations)
    /// or moderates or takes notes in, soonest first.</summary>
    public async Task<IReadOnlyList<UpcomingMeeting>> MyUpcomingMeetings(string teamId, string userId, DateTimeOffset now, int limit, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return (await conn.QueryAsync<UpcomingMeeting>(new CommandDefinition("""
            select i.number, i.title, i.channel_id, m.starts_at, m.duration_minutes, m.moderator_id, m.notetaker_id, count(*) over () as total
            from postmortem_meetings m join incidents i on i.id = m.incident_id
            where i.team_id = @teamId and m.starts_at is not null and m.cancelled_at is null
              and m.starts_at + make_interval(mins => coalesce(m.duration_minutes, 45)) > @now
              and (m.moderator_id = @userId or m.notetaker_id = @userId
                   or exists (select 1 from postmortem_attendees a where a.incident_id = m.incident_id and a.user_id = @userId and not a.optional))
            order by m.starts_at
            limit @limit
            """, new { teamId, userId, now, limit }, cancellationToken: ct))).AsList();
    }
}
