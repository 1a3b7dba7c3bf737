using System.ComponentModel.DataAnnotations;

namespace Bot.Inbox;

/// <summary>Bot:Inbox settings (docs/reliability.md).</summary>
public sealed class InboxOptions
{
    public const string SectionName = "Inbox";

    /// <summary>How often this process renews its lease and looks for work a dead process left.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A process that has not renewed its lease for this long is taken for dead and its unfinished work
    /// is run by another. Longer than a few poll intervals, so a slow poll does not hand live work over.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:30:00")]
    public TimeSpan OwnerTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
