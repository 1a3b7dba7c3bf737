using Bot.Incidents;
using Bot.People;
using Bot.Postmortems.Scheduling;

namespace Bot.Postmortems.Meetings;

/// <summary>Everything a meeting job needs, re-read when the job runs (jobs carry only ids and the version).</summary>
public sealed record MeetingContext(Incident Incident, Meeting Meeting, PostmortemRow Postmortem, IReadOnlyList<Attendee> Attendees,
    IReadOnlyDictionary<string, Person> People)
{
    public IEnumerable<string> Invited => Attendees.Where(a => !a.Optional).Select(a => a.UserId);

    public string Name(string? userId) => userId is null ? "nobody yet" : People.TryGetValue(userId, out var p) ? p.Name : userId;

    public TimeZoneInfo ZoneOf(string userId) => TimeZones.Find(People.TryGetValue(userId, out var p) ? p.Tz : null);

    public string ChannelLink => Incident.ChannelId is { } c ? $"<#{c}>" : $"#{Incident.DisplayChannelName}";

    /// <summary>"Tue 1 Dec 2026, 09:30 (Europe/Berlin)" for that person.</summary>
    public string TimeFor(string userId) => TimeZones.Describe(Meeting.Start!.Value, ZoneOf(userId));

    public string Roles => $"Moderator: {Mention(Meeting.ModeratorId)} · Notetaker: {Mention(Meeting.NotetakerId)}";

    private static string Mention(string? id) => id is null ? "not named yet" : $"<@{id}>";
}

public sealed class MeetingContextLoader(IncidentStore incidents, PostmortemStore postmortems, MeetingStore meetings, UserDirectory people,
    ILogger<MeetingContextLoader> logger)
{
    /// <summary>The context for that version of the meeting, or null when the job is stale: the incident, post-mortem
    /// or meeting is gone, or a later version (a move or a cancel) replaced it. The one version check every meeting
    /// job makes, done before the attendees' profiles are read.</summary>
    public async Task<MeetingContext?> Load(long incidentId, int version, CancellationToken ct)
    {
        var meeting = await meetings.Get(incidentId, ct);
        var incident = meeting?.Version == version ? await incidents.Get(incidentId, ct) : null;
        var postmortem = incident is null ? null : await postmortems.Get(incidentId, ct);
        if (meeting is null || incident is null || postmortem is null)
        {
            logger.LogInformation("Meeting job for incident {Incident} v{Version} is stale (now v{Current})", incidentId, version, meeting?.Version);
            return null;
        }
        var attendees = await meetings.Attendees(incidentId, ct);
        var ids = attendees.Select(a => a.UserId).Append(meeting.ModeratorId).Append(meeting.NotetakerId).Append(postmortem.PointPersonId)
            .OfType<string>();
        var names = await people.People(ids, ct);
        return new MeetingContext(incident, meeting, postmortem, attendees, names);
    }
}
