namespace Bot.Postmortems.Meetings;

/// <summary>A postmortem_meetings row as read by Dapper.</summary>
public sealed class Meeting
{
    public long IncidentId { get; set; }
    public string Uid { get; set; } = "";
    public int Version { get; set; }
    public DateTime? StartsAt { get; set; }
    public int? DurationMinutes { get; set; }
    public DateTime? CancelledAt { get; set; }
    public string? ModeratorId { get; set; }
    public string? NotetakerId { get; set; }
    public string? ScheduledBy { get; set; }
    /// <summary>The version at which the meeting was last set afresh (not moved); invites older than it were for a
    /// meeting that was cancelled or is over.</summary>
    public int? ScheduledVersion { get; set; }
    public string[] JobIds { get; set; } = [];

    public DateTimeOffset? Start => StartsAt is { } s ? new DateTimeOffset(DateTime.SpecifyKind(s, DateTimeKind.Utc)) : null;
    public DateTimeOffset? End => Start?.AddMinutes(DurationMinutes ?? 45);
    public bool IsScheduled => StartsAt is not null && CancelledAt is null;
}

public sealed class Attendee
{
    public string UserId { get; set; } = "";
    public bool Optional { get; set; }
    public string? Reason { get; set; }
}
