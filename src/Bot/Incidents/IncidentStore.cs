using System.Text.Json;
using Bot.Database;
using Bot.Timeline;
using Dapper;
using Npgsql;

namespace Bot.Incidents;

/// <summary>Incident facts. Each change writes the incident and its timeline entry in one short transaction.</summary>
public sealed class IncidentStore(Db db, TimeProvider time)
{
    public async Task<Incident> Open(NewIncident request, string channelPrefix, bool isPrivate, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        return await db.InTransaction(async (conn, jobs) =>
        {
            // Numbers per workspace; the row lock on the counter serialises concurrent /incident new.
            var number = await conn.ExecuteScalarAsync<int>(new CommandDefinition("""
                insert into incident_counters (team_id, last_number) values (@TeamId, 1)
                on conflict (team_id) do update set last_number = incident_counters.last_number + 1
                returning last_number
                """, new { request.TeamId }, cancellationToken: ct));

            var channelName = ChannelNames.For(channelPrefix, DateOnly.FromDateTime(now.UtcDateTime), request.Title, number);
            var incident = await conn.QuerySingleAsync<Incident>(new CommandDefinition("""
                insert into incidents (team_id, number, title, description, severity, status, commander_id, reporter_id,
                                       origin_channel_id, response_url, channel_name, is_private, created_at)
                values (@TeamId, @Number, @Title, @Description, @Severity, 'investigating', @ReporterId, @ReporterId,
                        @OriginChannelId, @ResponseUrl, @ChannelName, @IsPrivate, @Now)
                returning *
                """, new
            {
                request.TeamId, Number = number, request.Title, request.Description, request.Severity, request.ReporterId,
                request.OriginChannelId, request.ResponseUrl, ChannelName = channelName, IsPrivate = isPrivate, Now = now,
            }, cancellationToken: ct));

            // The job invites the reporter: a member from the start, so a private incident is theirs to see at once.
            await conn.ExecuteAsync(new CommandDefinition("""
                insert into incident_members (incident_id, user_id, is_member, changed_at)
                values (@Id, @ReporterId, true, @Now)
                on conflict do nothing
                """, new { incident.Id, request.ReporterId, Now = now }, cancellationToken: ct));

            await AddEntry(conn, incident.Id, EntryKinds.Opened, request.ReporterId, request.Title, now,
                new { severity = request.Severity, description = request.Description }, ct);

            jobs.Enqueue<OpenIncidentChannelJob>(j => j.Run(incident.Id, CancellationToken.None));
            // It joins the reporter's "Your open incidents" (they command it).
            await Home.HomeRefresh.Request(conn, jobs, [request.ReporterId], now, ct);
            return incident;
        }, ct);
    }

    public async Task<Incident?> Get(long id, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<Incident>(new CommandDefinition(
            "select * from incidents where id = @id", new { id }, cancellationToken: ct));
    }

    public async Task<Incident?> ByChannel(string channelId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<Incident>(new CommandDefinition(
            "select * from incidents where channel_id = @channelId", new { channelId }, cancellationToken: ct));
    }

    /// <summary>The open incidents this user may see: the public ones and the private ones whose channel they are in.</summary>
    public async Task<IReadOnlyList<Incident>> OpenIncidentsVisibleTo(string teamId, string userId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<Incident>(new CommandDefinition($$"""
            select i.* from incidents i
            where i.team_id = @teamId and i.resolved_at is null and {{IncidentVisibility.VisibleToUser}}
            order by i.number desc limit 100
            """, new { teamId, userId }, cancellationToken: ct));
        return rows.AsList();
    }

    public async Task<bool> IsVisibleTo(long incidentId, string userId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.ExecuteScalarAsync<bool>(new CommandDefinition($$"""
            select exists (select 1 from incidents i where i.id = @incidentId and {{IncidentVisibility.VisibleToUser}})
            """, new { incidentId, userId }, cancellationToken: ct));
    }

    /// <summary>Sets one incident column (status, severity, commander_id) and records the change, unless it is
    /// already that value or the incident is resolved (a resolved incident changes only through Reopen).</summary>
    public async Task<Change> Set(long incidentId, string field, string value, string byUser, CancellationToken ct)
    {
        var column = field switch
        {
            EntryKinds.Status => "status",
            EntryKinds.Severity => "severity",
            EntryKinds.Commander => "commander_id",
            _ => throw new ArgumentOutOfRangeException(nameof(field), field, "not a settable incident field"),
        };
        var now = time.GetUtcNow();
        return await db.InTransaction(async (conn, jobs) =>
        {
            var old = await conn.QuerySingleAsync<OldValue>(new CommandDefinition(
                $"select {column} as value, resolved_at is not null as resolved from incidents where id = @incidentId for update",
                new { incidentId }, cancellationToken: ct));
            if (old.Resolved) return new Change(Outcome.Resolved, old.Value, value);
            if (old.Value == value) return new Change(Outcome.Unchanged, old.Value, value);
            await conn.ExecuteAsync(new CommandDefinition(
                $"update incidents set {column} = @value where id = @incidentId", new { incidentId, value }, cancellationToken: ct));
            await AddEntry(conn, incidentId, field, byUser, null, now, new { from = old.Value, to = value }, ct);
            if (field is EntryKinds.Status or EntryKinds.Severity)
                jobs.Enqueue<UpdateTopicJob>(j => j.Run(incidentId, CancellationToken.None));
            // "Your open incidents" of the old and the new commander change.
            if (field == EntryKinds.Commander) await Home.HomeRefresh.Request(conn, jobs, [old.Value, value], now, ct);
            return new Change(Outcome.Changed, old.Value, value);
        }, ct);
    }

    public enum Outcome { Changed, Unchanged, Resolved }

    /// <summary>What a change did; From is the value before (for a role, who had it, or null).</summary>
    public sealed record Change(Outcome Outcome, string? From, string To);

    private sealed class OldValue
    {
        public string? Value { get; set; }
        public bool Resolved { get; set; }
    }

    /// <summary>Assigns a role (other than commander), unless that person has it already or the incident is resolved.</summary>
    public async Task<Change> AssignRole(long incidentId, string role, string userId, string byUser, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        return await db.InTransaction(async (conn, jobs) =>
        {
            // The incident row is locked first, as Set, Reopen and resolve do, so a role cannot slip in beside a resolve.
            var resolved = await conn.QuerySingleAsync<bool>(new CommandDefinition(
                "select resolved_at is not null from incidents where id = @incidentId for update", new { incidentId }, cancellationToken: ct));
            var previous = await conn.QuerySingleOrDefaultAsync<string?>(new CommandDefinition("""
                select user_id from incident_roles where incident_id = @incidentId and role = @role for update
                """, new { incidentId, role }, cancellationToken: ct));
            if (resolved) return new Change(Outcome.Resolved, previous, userId);
            if (previous == userId) return new Change(Outcome.Unchanged, previous, userId);
            await conn.ExecuteAsync(new CommandDefinition("""
                insert into incident_roles (incident_id, role, user_id, assigned_by, assigned_at)
                values (@incidentId, @role, @userId, @byUser, @now)
                on conflict (incident_id, role) do update set user_id = excluded.user_id,
                    assigned_by = excluded.assigned_by, assigned_at = excluded.assigned_at
                """, new { incidentId, role, userId, byUser, now }, cancellationToken: ct));
            await AddEntry(conn, incidentId, EntryKinds.Role, byUser, null, now, new { role, from = previous, to = userId }, ct);
            await Home.HomeRefresh.Request(conn, jobs, [previous, userId], now, ct);
            return new Change(Outcome.Changed, previous, userId);
        }, ct);
    }

    /// <summary>Reopens a resolved incident: status back to investigating, resolved_at cleared, the change (with the
    /// reason as its text) on the timeline, the topic updated. The post-mortem row stays (a later resolve updates it).
    /// Returns false when the incident is not resolved, or was cancelled (its channel may never have opened).</summary>
    public async Task<bool> Reopen(long incidentId, string byUser, string? reason, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        return await db.InTransaction(async (conn, jobs) =>
        {
            var reopened = await conn.ExecuteScalarAsync<long?>(new CommandDefinition("""
                update incidents set status = 'investigating', resolved_at = null
                where id = @incidentId and resolved_at is not null and cancelled_at is null
                returning id
                """, new { incidentId }, cancellationToken: ct));
            if (reopened is null) return false;
            await AddEntry(conn, incidentId, EntryKinds.Status, byUser, reason, now, new { from = "resolved", to = "investigating" }, ct);
            jobs.Enqueue<UpdateTopicJob>(j => j.Run(incidentId, CancellationToken.None));
            await Home.HomeRefresh.RequestForIncident(conn, jobs, incidentId, now, ct);
            return true;
        }, ct);
    }

    public async Task AddNote(long incidentId, string text, string byUser, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await AddEntry(conn, incidentId, EntryKinds.Note, byUser, text, time.GetUtcNow(), null, ct);
    }

    /// <summary>Adds a war-room link (a second add of the same URL updates its label). A URL that came from a pin
    /// becomes the command's, so unpinning that message no longer takes it away.</summary>
    public async Task AddLink(long incidentId, string label, string url, string byUser, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await db.InTransaction(async (conn, _) =>
        {
            await conn.ExecuteAsync(new CommandDefinition("""
                insert into incident_links (incident_id, label, url, source, added_by, added_at)
                values (@incidentId, @label, @url, 'command', @byUser, @now)
                on conflict (incident_id, url) do update set label = excluded.label, source = 'command', slack_ts = null
                """, new { incidentId, label, url, byUser, now }, cancellationToken: ct));
            await AddEntry(conn, incidentId, EntryKinds.Link, byUser, label, now, new { url }, ct);
        }, ct);
    }

    public async Task<IReadOnlyList<(string Role, string UserId)>> Roles(long incidentId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<(string, string)>(new CommandDefinition(
            "select role, user_id from incident_roles where incident_id = @incidentId order by role", new { incidentId }, cancellationToken: ct));
        return rows.AsList();
    }

    internal static Task AddEntry(NpgsqlConnection conn, long incidentId, string kind, string? userId, string? text,
        DateTimeOffset at, object? data, CancellationToken ct) =>
        conn.ExecuteAsync(new CommandDefinition("""
            insert into timeline_entries (incident_id, kind, user_id, text, occurred_at, data)
            values (@incidentId, @kind, @userId, @text, @at, @data::jsonb)
            """, new { incidentId, kind, userId, text, at, data = data is null ? null : JsonSerializer.Serialize(data) },
            cancellationToken: ct));
}
