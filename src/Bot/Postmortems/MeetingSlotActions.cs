using System.Globalization;
using Bot.Incidents;
using Bot.People;
using Bot.Postmortems.Meetings;
using Bot.Postmortems.Scheduling;
using Bot.Slack.Handlers;
using Hangfire;
using Microsoft.Extensions.Options;

namespace Bot.Postmortems;

/// <summary>What the prep DM's buttons and the pick-a-time modal share: schedule (or move, when a meeting is
/// already set) for a given incident, and tell the incident channel (from a job: the modal's submission must
/// answer within 3 s).</summary>
public sealed class MeetingSlotActions(
    IncidentStore incidents,
    MeetingStore meetings,
    MeetingScheduler scheduler,
    UserDirectory people,
    IBackgroundJobClient jobs,
    IOptions<PostmortemOptions> options,
    TimeProvider time)
{
    /// <param name="zone">The clicking person's zone (<see cref="ZoneOf"/>), for the replies' times.</param>
    public async Task<ScheduleOutcome> Schedule(long incidentId, DateTimeOffset start, int? minutes, string byUser, TimeZoneInfo zone,
        CancellationToken ct)
    {
        var incident = await incidents.Get(incidentId, ct);
        if (incident is null) return new ScheduleOutcome.Refused("That incident no longer exists.");
        var meeting = await meetings.Get(incidentId, ct);
        var reschedule = meeting is { IsScheduled: true } && meeting.Start > time.GetUtcNow();
        var outcome = await scheduler.Schedule(incident, start, minutes ?? options.Value.DefaultMinutes, byUser, zone, reschedule, ct);
        if (outcome is ScheduleOutcome.Scheduled scheduled && incident.ChannelId is not null)
        {
            var text = PostmortemCommand.Reply(outcome, byUser, zone, reschedule).Text ?? "";
            var version = scheduled.Meeting.Version;
            jobs.Enqueue<MeetingAnnounceJob>(j => j.Run(incidentId, version, text, CancellationToken.None));
        }
        return outcome;
    }

    public async Task<TimeZoneInfo> ZoneOf(string user, CancellationToken ct) =>
        TimeZones.Find((await people.People([user], ct)).GetValueOrDefault(user)?.Tz);

    public static long? IncidentId(string? text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;
}
