namespace Bot.Access;

/// <summary>Bot:Access settings.</summary>
public sealed class AccessOptions
{
    public const string SectionName = "Access";

    /// <summary>Slack user ids (U…/W…) who may do everything the commander, the point person or an item's owner may,
    /// in every incident: the way out when those people are away. A configured list replaces this default (empty).</summary>
    public List<string> Admins { get; set; } = [];
}
