using Bot.Database;
using Bot.Incidents;
using Bot.Timeline;
using Dapper;

namespace Bot.History;

/// <summary>What /incident backfill asks for: the incident on an existing channel, the range to read.</summary>
public sealed record BackfillRequest(
    string TeamId,
    string ChannelId,
    string ChannelName,
    bool IsPrivate,
    string Title,
    string RequestedBy,
    DateTimeOffset? From,
    string? ResponseUrl);

/// <summary>The backfill's facts: the incident opened on an existing channel (with its job, in one transaction) and
/// the job's own progress row (<c>backfills</c>).</summary>
public sealed class BackfillStore(Db db, TimeProvider time)
{
    public enum Outcome { Opened, ReadAgain, Running, OtherIncident }

    /// <summary>Opens the incident on the channel and enqueues the backfill. On a channel that already is an
    /// incident's: a backfilled one is read again (a new progress message; nothing already captured is added
    /// twice) unless its backfill is still running; one opened otherwise is refused. Two commands at once: one
    /// wins, under the channel's lock.</summary>
    public async Task<(Incident Incident, Outcome Outcome)> Open(BackfillRequest request, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        return await db.InTransaction(async (conn, jobs) =>
        {
            await conn.ExecuteAsync(new CommandDefinition("select pg_advisory_xact_lock(hashtextextended('backfill:' || @ChannelId, 0))",
                new { request.ChannelId }, cancellationToken: ct));
            var existing = await conn.QuerySingleOrDefaultAsync<Incident>(new CommandDefinition(
                "select * from incidents where channel_id = @ChannelId", new { request.ChannelId }, cancellationToken: ct));
            if (existing is not null)
            {
                var again = await conn.ExecuteScalarAsync<long?>(new CommandDefinition("""
                    update backfills set finished_at = null, error = null, progress_ts = null, oldest_ts = @Oldest, requested_by = @RequestedBy
                    where incident_id = @Id and (finished_at is not null or error is not null)
                    returning incident_id
                    """, new { existing.Id, request.RequestedBy, Oldest = OldestOf(request) }, cancellationToken: ct));
                if (again is null)
                {
                    var running = await conn.ExecuteScalarAsync<bool>(new CommandDefinition(
                        "select exists (select 1 from backfills where incident_id = @Id)", new { existing.Id }, cancellationToken: ct));
                    return (existing, running ? Outcome.Running : Outcome.OtherIncident);
                }
                jobs.Enqueue<BackfillJob>(j => j.Run(existing.Id, CancellationToken.None));
                return (existing, Outcome.ReadAgain);
            }

            var number = await conn.ExecuteScalarAsync<int>(new CommandDefinition("""
                insert into incident_counters (team_id, last_number) values (@TeamId, 1)
                on conflict (team_id) do update set last_number = incident_counters.last_number + 1
                returning last_number
                """, new { request.TeamId }, cancellationToken: ct));

            // The channel exists and people are in it: OpenIncidentChannelJob's steps (create, invite, topic, kickoff,
            // announcements, telling the reporter) are marked done, so nothing changes the team's channel but the
            // progress message. The start is the first message read (the job moves created_at back to it).
            var incident = await conn.QuerySingleAsync<Incident>(new CommandDefinition("""
                insert into incidents (team_id, number, title, severity, status, commander_id, reporter_id,
                                       origin_channel_id, response_url, channel_name, is_private, created_at,
                                       channel_id, channel_created_name, reporter_invited_at, topic_set_at, kickoff_pinned_at,
                                       origin_announced_at, announced_at, reporter_told_at)
                values (@TeamId, @Number, @Title, null, 'investigating', @RequestedBy, @RequestedBy,
                        @ChannelId, @ResponseUrl, @ChannelName, @IsPrivate, @Start,
                        @ChannelId, @ChannelName, @Now, @Now, @Now, @Now, @Now, @Now)
                returning *
                """, new
            {
                request.TeamId, Number = number, request.Title, request.RequestedBy, request.ChannelId, request.ResponseUrl,
                request.ChannelName, request.IsPrivate, Start = request.From ?? now, Now = now,
            }, cancellationToken: ct));

            await conn.ExecuteAsync(new CommandDefinition("""
                insert into incident_members (incident_id, user_id, is_member, changed_at)
                values (@Id, @RequestedBy, true, @Now)
                on conflict do nothing
                """, new { incident.Id, request.RequestedBy, Now = now }, cancellationToken: ct));
            await IncidentStore.AddEntry(conn, incident.Id, EntryKinds.Opened, request.RequestedBy, request.Title, request.From ?? now,
                new { backfill = true }, ct);
            await conn.ExecuteAsync(new CommandDefinition("""
                insert into backfills (incident_id, channel_id, requested_by, oldest_ts, requested_at)
                values (@Id, @ChannelId, @RequestedBy, @Oldest, @Now)
                """, new { incident.Id, request.ChannelId, request.RequestedBy, Oldest = OldestOf(request), Now = now },
                cancellationToken: ct));

            jobs.Enqueue<BackfillJob>(j => j.Run(incident.Id, CancellationToken.None));
            return (incident, Outcome.Opened);
        }, ct);
    }

    private static string? OldestOf(BackfillRequest request) => request.From is { } f ? BackfillTs.Of(f) : null;

    public async Task<Backfill?> Get(long incidentId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<Backfill>(new CommandDefinition(
            "select * from backfills where incident_id = @incidentId", new { incidentId }, cancellationToken: ct));
    }

    /// <summary>Records the progress message; false when an earlier run already posted one (keep that one).</summary>
    public async Task<bool> SetProgressMessage(long incidentId, string ts, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.ExecuteScalarAsync<long?>(new CommandDefinition(
            "update backfills set progress_ts = @ts where incident_id = @incidentId and progress_ts is null returning incident_id",
            new { incidentId, ts }, cancellationToken: ct)) is not null;
    }

    /// <summary>Who is in the channel as the backfill starts. A live join or leave is newer and wins over this
    /// (<c>changed_at</c>), whichever lands first.</summary>
    public async Task Members(long incidentId, IReadOnlyList<string> members, DateTimeOffset at, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition("""
            insert into incident_members (incident_id, user_id, is_member, changed_at)
            select @incidentId, u, true, @at from unnest(@members) as u
            on conflict (incident_id, user_id) do update set is_member = true, changed_at = excluded.changed_at
               where incident_members.changed_at < excluded.changed_at
            """, new { incidentId, members = members.ToArray(), at }, cancellationToken: ct));
    }

    /// <summary>The end of a run: the counts, and the incident's start moved back to its first message, so its
    /// duration and the timeline's opened line are the incident's and not the command's.</summary>
    public async Task Finish(long incidentId, int messages, int threads, int pins, DateTimeOffset? firstMessage, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await db.InTransaction(async (conn, _) =>
        {
            await conn.ExecuteAsync(new CommandDefinition("""
                update backfills set messages = @messages, threads = @threads, pins = @pins, error = null,
                       finished_at = coalesce(finished_at, @now)
                where incident_id = @incidentId
                """, new { incidentId, messages, threads, pins, now }, cancellationToken: ct));
            if (firstMessage is null) return;
            await conn.ExecuteAsync(new CommandDefinition("""
                update incidents set created_at = @firstMessage where id = @incidentId and created_at > @firstMessage;
                update timeline_entries set occurred_at = @firstMessage
                where incident_id = @incidentId and kind = 'opened' and occurred_at > @firstMessage
                """, new { incidentId, firstMessage }, cancellationToken: ct));
        }, ct);
    }

    public async Task Fail(long incidentId, string error, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(
            "update backfills set error = @error where incident_id = @incidentId", new { incidentId, error }, cancellationToken: ct));
    }
}

/// <summary>A backfills row.</summary>
public sealed class Backfill
{
    public long IncidentId { get; set; }
    public string ChannelId { get; set; } = "";
    public string RequestedBy { get; set; } = "";
    public string? OldestTs { get; set; }
    public string? ProgressTs { get; set; }
    public int Messages { get; set; }
    public int Threads { get; set; }
    public int Pins { get; set; }
    public string? Error { get; set; }
    public DateTime RequestedAt { get; set; }
    public DateTime? FinishedAt { get; set; }
}

/// <summary>Instants as Slack ts strings (seconds.microseconds), for conversations.history's oldest.</summary>
public static class BackfillTs
{
    public static string Of(DateTimeOffset at)
    {
        var micros = (at.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;
        return $"{micros / 1_000_000}.{micros % 1_000_000:D6}";
    }
}
