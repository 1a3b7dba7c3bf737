using System.Globalization;
using Bot.Incidents;
using Bot.People;
using Bot.Postmortems.Meetings;
using Bot.Postmortems.Scheduling;
using Hangfire;
using Microsoft.Extensions.Options;

namespace Bot.Postmortems;

/// <summary>What the prep DM's buttons and the pick-a-time modal share: schedule (or move, when a meeting is
/// already set) for a given incident, and tell the incident channel (from a job: the modal's submission must
/// answer within 3 s). Both act only on the meeting as it was when the proposal or modal was made: a meeting set,
/// moved or cancelled since is left alone (<see cref="ScheduleOutcome.Stale"/>).</summary>
public sealed class MeetingSlotActions(
    IncidentStore incidents,
    MeetingScheduler scheduler,
    UserDirectory people,
    IBackgroundJobClient jobs,
    IOptions<PostmortemOptions> options,
    TimeProvider time)
{
    /// <param name="zone">The clicking person's zone (<see cref="ZoneOf"/>), for the replies' times.</param>
    /// <param name="ifVersion">The meeting version the proposal or modal was made for.</param>
    public async Task<ScheduleOutcome> Schedule(long incidentId, DateTimeOffset start, int? minutes, string byUser, TimeZoneInfo zone,
        int ifVersion, CancellationToken ct)
    {
        var incident = await incidents.Get(incidentId, ct);
        if (incident is null) return new ScheduleOutcome.Refused("That incident no longer exists.");
        var outcome = await scheduler.Schedule(incident, start, minutes ?? options.Value.DefaultMinutes, byUser, zone, reschedule: false, ct, ifVersion);
        if (outcome is ScheduleOutcome.Scheduled scheduled && incident.ChannelId is not null)
        {
            var text = PostmortemCommand.Reply(outcome, byUser, zone, scheduled.Moved).Text ?? "";
            var version = scheduled.Meeting.Version;
            jobs.Enqueue<MeetingAnnounceJob>(j => j.Run(incidentId, version, text, CancellationToken.None));
        }
        return outcome;
    }

    /// <summary>What the meeting is now, for someone whose click or submission came too late to change it.</summary>
    /// <param name="mrkdwn">False for a modal's field error, which Slack shows as plain text.</param>
    public string Now(Meeting meeting, TimeZoneInfo zone, bool mrkdwn = true)
    {
        if (meeting.CancelledAt is not null)
            return "The meeting was cancelled since, so I changed nothing. To set a new time: `/postmortem schedule <when>` in the incident channel.";
        if (meeting.Start is not { } start)
            return "The meeting changed since, so I changed nothing. See `/postmortem attendees` in the incident channel.";
        var by = meeting.ScheduledBy is null || !mrkdwn ? "" : $" (set by <@{meeting.ScheduledBy}>)";
        var b = mrkdwn ? "*" : "";
        return start <= time.GetUtcNow()
            ? $"The meeting already took place on {TimeZones.Describe(start, zone)}{by}, so I changed nothing."
            : $"The meeting is already set for {b}{TimeZones.Describe(start, zone)}{b}, {meeting.DurationMinutes} min{by}, so I changed nothing. " +
              "To move it: `/postmortem reschedule <when>` in the incident channel.";
    }

    public async Task<TimeZoneInfo> ZoneOf(string user, CancellationToken ct) =>
        TimeZones.Find((await people.People([user], ct)).GetValueOrDefault(user)?.Tz);

    public static long? IncidentId(string? text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;

    /// <summary>"incidentId" or "incidentId:version" (a button or modal made for that meeting version; none: 0, the
    /// meeting not yet set).</summary>
    public static (long IncidentId, int Version)? IncidentAndVersion(string? text)
    {
        var parts = (text ?? "").Split(':');
        if (parts.Length > 2 || IncidentId(parts[0]) is not { } id) return null;
        if (parts.Length == 1) return (id, 0);
        return int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? (id, v) : null;
    }
}
