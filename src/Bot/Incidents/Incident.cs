namespace Bot.Incidents;

/// <summary>An incident row as read by Dapper (snake_case columns mapped by name).</summary>
public sealed class Incident
{
    public long Id { get; set; }
    public string TeamId { get; set; } = "";
    public int Number { get; set; }
    public string Title { get; set; } = "";
    public string? Description { get; set; }
    public string? Severity { get; set; }
    public string Status { get; set; } = "";
    public string CommanderId { get; set; } = "";
    public string ReporterId { get; set; } = "";
    public string? OriginChannelId { get; set; }
    public string? ResponseUrl { get; set; }
    public string ChannelName { get; set; } = "";
    public bool IsPrivate { get; set; }
    public string[] ChannelNamesTried { get; set; } = [];
    public DateTime CreatedAt { get; set; }
    public DateTime? ResolvedAt { get; set; }
    public string? ChannelId { get; set; }
    public string? ChannelCreatedName { get; set; }
    public DateTime? ReporterInvitedAt { get; set; }
    public DateTime? TopicSetAt { get; set; }
    public string? KickoffTs { get; set; }
    public DateTime? KickoffPinnedAt { get; set; }
    public DateTime? OriginAnnouncedAt { get; set; }
    public DateTime? AnnouncedAt { get; set; }
    public DateTime? ReporterToldAt { get; set; }
    /// <summary>Set when the channel job stopped for good (channel_error says why) until the reporter retries.</summary>
    public DateTime? ChannelFailedAt { get; set; }
    public string? ChannelError { get; set; }
    public DateTime? FailureToldAt { get; set; }
    public DateTime? CancelledAt { get; set; }

    /// <summary>The channel's current name once created (it may carry a -2 suffix), else the planned one.</summary>
    public string DisplayChannelName => ChannelCreatedName ?? ChannelName;
}

/// <summary>What /incident new or the modal asks for.</summary>
public sealed record NewIncident(
    string TeamId,
    string Title,
    string? Severity,
    string? Description,
    string ReporterId,
    string? OriginChannelId,
    string? ResponseUrl);
