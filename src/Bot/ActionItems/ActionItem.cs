namespace Bot.ActionItems;

public static class ItemStatus
{
    public const string Open = "open";
    public const string Done = "done";
    public const string Dropped = "dropped";
    /// <summary>Shown, never stored: an open item whose snooze has not ended.</summary>
    public const string Snoozed = "snoozed";
}

/// <summary>An action_items row with what the buttons and messages need of its incident (read by Dapper).
/// Text is Slack-formatted (as Slack sent it, or escaped when typed in a modal).</summary>
public sealed class ActionItem
{
    public long Id { get; set; }
    public long IncidentId { get; set; }
    public string Text { get; set; } = "";
    public string? OwnerId { get; set; }
    /// <summary>"yyyy-MM-dd", the day as it was given.</summary>
    public string? DueOn { get; set; }
    public DateTime? DueAt { get; set; }
    public string? Link { get; set; }
    public string Status { get; set; } = ItemStatus.Open;
    public string? DropReason { get; set; }
    public DateTime? SnoozedUntil { get; set; }
    public int Version { get; set; }
    public string? LastAction { get; set; }
    public int? LastActionFrom { get; set; }
    public string? SlackTs { get; set; }
    public string? Permalink { get; set; }
    public string? CreatedBy { get; set; }
    public string? UpdatedBy { get; set; }
    public DateTime UpdatedAt { get; set; }
    public int ChaseCount { get; set; }
    public string? IssueUrl { get; set; }

    public int IncidentNumber { get; set; }
    public string IncidentTitle { get; set; } = "";
    public string? ChannelId { get; set; }
    /// <summary>The post-mortem's point person (the commander while there is no post-mortem yet).</summary>
    public string PointPersonId { get; set; } = "";

    public bool IsOpen => Status == ItemStatus.Open;
    public bool IsSettled => Status is ItemStatus.Done or ItemStatus.Dropped;

    public string ShownStatus(DateTimeOffset now) =>
        IsOpen && SnoozedUntil is { } s && Utc(s) > now ? ItemStatus.Snoozed : Status;

    public bool IsOverdue(DateTimeOffset now) => IsOpen && DueAt is { } d && Utc(d) < now;

    public DateTimeOffset? Due => DueAt is { } d ? Utc(d) : null;
    public DateTimeOffset? Snoozed => SnoozedUntil is { } s ? Utc(s) : null;

    /// <summary>The owner or the point person: the people who may change the item.</summary>
    public bool MayChange(string userId) => userId == OwnerId || userId == PointPersonId;

    /// <summary>The same item, for a change to be computed on.</summary>
    public ActionItem Copy() => (ActionItem)MemberwiseClone();

    private static DateTimeOffset Utc(DateTime t) => new(DateTime.SpecifyKind(t, DateTimeKind.Utc));
}

/// <summary>A due day and the instant it ends in the zone of whoever set it.</summary>
public sealed record DueDate(DateOnly Day, DateTimeOffset EndsAt)
{
    public string DayText => Day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
