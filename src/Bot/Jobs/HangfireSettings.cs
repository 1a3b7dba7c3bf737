using System.ComponentModel.DataAnnotations;

namespace Bot.Jobs;

/// <summary>Bot:Hangfire settings.</summary>
public sealed class HangfireSettings
{
    public const string SectionName = "Hangfire";

    /// <summary>PostgreSQL schema for Hangfire's tables, in the bot's own database. Tests use one per app.</summary>
    [RegularExpression("^[a-z_][a-z0-9_]*$")]
    public string Schema { get; set; } = "hangfire";

    /// <summary>Jobs mostly wait on Slack, so more workers than cores is fine.</summary>
    [Range(1, 100)]
    public int WorkerCount { get; set; } = 10;

    /// <summary>Run no Hangfire server in this process (enqueue only), e.g. for a web-only replica.</summary>
    public bool ServerEnabled { get; set; } = true;

    /// <summary>How often idle workers look for enqueued jobs and the scheduler for due jobs (PITFALLS: default 15 s is too slow).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The dashboard at /hangfire: off by default; when on, it needs DashboardUser and DashboardPassword (basic auth).</summary>
    public bool Dashboard { get; set; }
    public string? DashboardUser { get; set; }
    public string? DashboardPassword { get; set; }
    public string DashboardPath { get; set; } = "/hangfire";
}
