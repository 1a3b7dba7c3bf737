using Bot.Database;
using Bot.Incidents;
using Bot.Postmortems.Reminders;
using Bot.Postmortems.Scheduling;
using Bot.Timeline;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Bot.Postmortems.Meetings;

public abstract record ScheduleOutcome
{
    public sealed record Scheduled(Meeting Meeting, IReadOnlyList<string> Warnings, int Invited) : ScheduleOutcome
    {
        /// <summary>A meeting was set and this moved it (rather than setting one afresh).</summary>
        public bool Moved { get; init; }
    }

    public sealed record Refused(string Message) : ScheduleOutcome;

    /// <summary>The meeting changed since the proposal or modal that asked (it is <paramref name="Current"/> now):
    /// nothing was done.</summary>
    public sealed record Stale(Meeting Current) : ScheduleOutcome;
}

/// <summary>Schedules, moves and cancels the meeting. Each change is one transaction: the meeting row gets a new
/// version, the previous version's jobs are deleted, and the new version's jobs (invites, reminders, nudges, the
/// start post) are planned, so jobs exist exactly when the change commits.</summary>
public sealed class MeetingScheduler(Db db, IOptions<PostmortemOptions> options, TimeProvider time, BotIdentity bot)
{
    public const string KindInvite = "invite";
    public const string KindCancel = "cancel";

    /// <param name="reschedule">Move a set meeting (else set one); ignored with <paramref name="ifVersion"/>.</param>
    /// <param name="ifVersion">From a proposal or a modal: act only while the meeting is still at the version it was
    /// when they were made (else <see cref="ScheduleOutcome.Stale"/>), and set or move it as it is then. Checked under
    /// the row lock, so of two clicks at once one acts.</param>
    public async Task<ScheduleOutcome> Schedule(Incident incident, DateTimeOffset start, int? minutes, string byUser, TimeZoneInfo byZone,
        bool reschedule, CancellationToken ct, int? ifVersion = null)
    {
        var o = options.Value;
        var now = time.GetUtcNow();
        var length = minutes ?? o.DefaultMinutes;
        if (length < 5 || length > o.MaxMinutes)
            return new ScheduleOutcome.Refused($"A post-mortem meeting is short by design: give it 5 to {o.MaxMinutes} minutes (default {o.DefaultMinutes}).");

        return await db.InTransaction(async (conn, jobs) =>
        {
            var postmortem = await conn.QuerySingleOrDefaultAsync<PostmortemRow>(new CommandDefinition(
                "select incident_id, resolved_at, point_person_id from postmortems where incident_id = @Id", new { incident.Id }, cancellationToken: ct));
            if (postmortem is null)
                return (ScheduleOutcome)new ScheduleOutcome.Refused("Resolve the incident first (`/incident resolve [summary]`): the post-mortem starts then.");

            var meeting = await MeetingStore.Lock(conn, incident.Id, now, ct);
            if (ifVersion is { } expected && meeting.Version != expected) return new ScheduleOutcome.Stale(meeting);
            if (start <= now)
                return new ScheduleOutcome.Refused($"{TimeZones.Describe(start, byZone)} is in the past. Pick a time ahead.");
            var active = meeting.IsScheduled && meeting.Start > now;
            var move = ifVersion is null ? reschedule : active;
            if (active && !move)
                return new ScheduleOutcome.Refused(
                    $"The meeting is already set for {TimeZones.Describe(meeting.Start!.Value, byZone)}. Move it with `/postmortem reschedule <when>`.");
            if (!active && move)
                return new ScheduleOutcome.Refused("No meeting is scheduled yet. Use `/postmortem schedule <when> [for <minutes>]`.");

            var warnings = new List<string>();
            var work = WorkingTime.From(o);
            var days = work.WorkingDaysBetween(DateOnly.FromDateTime(TimeZones.ToLocal(postmortem.Resolved, byZone)),
                DateOnly.FromDateTime(TimeZones.ToLocal(start, byZone)));
            if (days > o.WarnAfterWorkingDays)
                warnings.Add($"That is {days} working days after the incident was resolved: details fade fast, sooner is better.");

            var attendees = await MeetingStore.Attendees(conn, incident.Id, ct);
            if (attendees.Count == 0)
            {
                await MeetingStore.Seed(conn, incident.Id,
                    // On the request path (no Slack calls): stakeholder groups are expanded by the draft job, which
                    // normally seeds the attendees before anyone schedules.
                    await AttendeeSuggestions.For(conn, incident, o, bot.Current?.UserId, new Dictionary<string, IReadOnlyList<string>>(), ct),
                    o.MaxAttendees, now, ct);
                attendees = await MeetingStore.Attendees(conn, incident.Id, ct);
            }
            var (moderator, notetaker) = SuggestRoles(meeting, incident, attendees);

            foreach (var id in meeting.JobIds) jobs.Delete(id);
            var version = meeting.Version + 1;
            var planned = Plan(jobs, incident.Id, version, start, now, o);
            await conn.ExecuteAsync(new CommandDefinition("""
                update postmortem_meetings
                set version = @version, starts_at = @start, duration_minutes = @length, cancelled_at = null,
                    moderator_id = @moderator, notetaker_id = @notetaker, scheduled_by = @byUser, updated_at = @now, job_ids = @planned,
                    scheduled_version = case when @move then coalesce(scheduled_version, 1) else @version end
                where incident_id = @Id
                """, new { incident.Id, version, start, length, moderator, notetaker, byUser, now, planned = planned.ToArray(), move },
                cancellationToken: ct));
            // Invitees' Home tabs list their upcoming meetings (and the previous moderator's and notetaker's).
            await Home.HomeRefresh.Request(conn, jobs,
                [.. attendees.Where(a => !a.Optional).Select(a => a.UserId), moderator, notetaker, meeting.ModeratorId, meeting.NotetakerId], now, ct);
            await IncidentStore.AddEntry(conn, incident.Id, "postmortem", byUser,
                move ? "Post-mortem meeting moved" : "Post-mortem meeting scheduled", now,
                new { start = start.UtcDateTime, minutes = length, version }, ct);

            var saved = (await MeetingStore.Get(conn, incident.Id, forUpdate: false, ct))!;
            return new ScheduleOutcome.Scheduled(saved, warnings, attendees.Count(a => !a.Optional)) { Moved = move };
        }, ct);
    }

    /// <summary>Cancels the meeting: its jobs go, and attendees who had an invite get METHOD:CANCEL.</summary>
    public async Task<string> Cancel(Incident incident, string byUser, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        return await db.InTransaction(async (conn, jobs) =>
        {
            var meeting = await MeetingStore.Lock(conn, incident.Id, now, ct);
            if (!meeting.IsScheduled) return "No meeting is scheduled, so there is nothing to cancel.";
            foreach (var id in meeting.JobIds) jobs.Delete(id);
            var version = meeting.Version + 1;
            var cancelJob = jobs.Enqueue<MeetingNoticeJob>(j => j.Run(incident.Id, version, CancellationToken.None));
            await conn.ExecuteAsync(new CommandDefinition("""
                update postmortem_meetings set version = @version, cancelled_at = @now, updated_at = @now, job_ids = @jobIds
                where incident_id = @Id
                """, new { incident.Id, version, now, jobIds = new[] { cancelJob } }, cancellationToken: ct));
            await IncidentStore.AddEntry(conn, incident.Id, "postmortem", byUser, "Post-mortem meeting cancelled", now, new { version }, ct);
            await Home.HomeRefresh.Request(conn, jobs,
                [.. (await MeetingStore.Attendees(conn, incident.Id, ct)).Where(a => !a.Optional).Select(a => a.UserId), meeting.ModeratorId, meeting.NotetakerId],
                now, ct);
            return $":x: The post-mortem meeting was cancelled by <@{byUser}>. Attendees are told and their calendar entry is removed.";
        }, ct);
    }

    /// <summary>After /postmortem invite or uninvite while a meeting is set: the current version's notice job sends
    /// the invite to whoever has not had it yet, and the cancellation to whoever was uninvited.</summary>
    public async Task SendPendingInvites(long incidentId, CancellationToken ct)
    {
        await db.InTransaction(async (conn, jobs) =>
        {
            var meeting = await MeetingStore.Get(conn, incidentId, forUpdate: true, ct);
            if (meeting is not { IsScheduled: true }) return;
            var version = meeting.Version;
            jobs.Enqueue<MeetingNoticeJob>(j => j.Run(incidentId, version, CancellationToken.None));
        }, ct);
    }

    private static List<string> Plan(TransactionalJobs jobs, long incidentId, int version, DateTimeOffset start, DateTimeOffset now, PostmortemOptions o)
    {
        var ids = new List<string> { jobs.Enqueue<MeetingNoticeJob>(j => j.Run(incidentId, version, CancellationToken.None)) };

        var reminderAt = start.AddHours(-o.ReminderHours);
        ids.Add(reminderAt > now
            ? jobs.Schedule<MeetingReminderJob>(j => j.Run(incidentId, version, false, CancellationToken.None), reminderAt)
            // Less than the reminder lead ahead: a short "coming up" note now instead of the day-before reminder.
            : jobs.Enqueue<MeetingReminderJob>(j => j.Run(incidentId, version, true, CancellationToken.None)));

        foreach (var hours in o.PrepNudgeHours.Distinct())
        {
            var at = start.AddHours(-hours);
            if (at > now)
                ids.Add(jobs.Schedule<PrepNudgeJob>(j => j.Run(incidentId, version, hours, CancellationToken.None), at));
        }
        ids.Add(jobs.Schedule<MeetingStartJob>(j => j.Run(incidentId, version, CancellationToken.None), start));
        return ids;
    }

    /// <summary>Moderator and notetaker when nobody named them: the point person moderates, the most involved
    /// other attendee takes notes. Named ones are kept.</summary>
    private static (string? Moderator, string? Notetaker) SuggestRoles(Meeting meeting, Incident incident, IReadOnlyList<Attendee> attendees)
    {
        var moderator = meeting.ModeratorId;
        var notetaker = meeting.NotetakerId;
        var required = attendees.Where(a => !a.Optional).Select(a => a.UserId).ToList();
        moderator ??= notetaker != incident.CommanderId ? incident.CommanderId : required.FirstOrDefault(u => u != notetaker);
        notetaker ??= required.FirstOrDefault(u => u != moderator);
        return (moderator, notetaker);
    }
}
