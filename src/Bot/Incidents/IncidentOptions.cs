using System.ComponentModel.DataAnnotations;

namespace Bot.Incidents;

/// <summary>Bot:Incidents settings.</summary>
public sealed class IncidentOptions
{
    public const string SectionName = "Incidents";

    /// <summary>Channel names are {prefix}-{yyyymmdd}-{slug}. Slack allows lowercase letters, digits, '-' and '_'.</summary>
    [RegularExpression("^[a-z0-9_-]{1,20}$", ErrorMessage = "Bot:Incidents:ChannelPrefix must be 1-20 lowercase letters, digits, '-' or '_'.")]
    public string ChannelPrefix { get; set; } = "inc";

    /// <summary>Create incident channels as private channels.</summary>
    public bool PrivateChannels { get; set; }

    /// <summary>A channel id (C...) where every new incident is announced; empty: no announcement.</summary>
    public string? AnnounceChannel { get; set; }

    /// <summary>Entries per page of /incident timeline.</summary>
    [Range(5, 40)]
    public int TimelinePageSize { get; set; } = 15;
}
