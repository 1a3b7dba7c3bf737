using System.ComponentModel.DataAnnotations;

namespace Bot.ActionItems;

/// <summary>Bot:ActionItems settings.</summary>
public sealed class ActionItemOptions
{
    public const string SectionName = "ActionItems";

    /// <summary>Open items due within this many days (or overdue) are listed in their owner's chase DM.</summary>
    [Range(0, 60)]
    public int DueSoonDays { get; set; } = 2;

    /// <summary>When the chase DM goes out, in each owner's own Slack time zone ("HH:mm").</summary>
    [RegularExpression(@"^\d{2}:\d{2}$")]
    public string ChaseTime { get; set; } = "09:30";

    /// <summary>Days the chase DM goes out, in the owner's zone: "Mon-Fri" or "Mon,Wed,Fri".</summary>
    [Required]
    public string ChaseDays { get; set; } = "Mon-Fri";

    /// <summary>After this many chases of an overdue item, the point person is told too.</summary>
    [Range(1, 100)]
    public int EscalateAfter { get; set; } = 3;

    /// <summary>How often the chase run looks for owners whose chase time has come (a Hangfire cron, UTC). Every minute
    /// makes each owner's DM punctual; the run itself is cheap when there is nothing to send.</summary>
    [Required]
    public string RunCron { get; set; } = "* * * * *";

    public GitHubOptions GitHub { get; set; } = new();
}

/// <summary>Bot:ActionItems:GitHub: with Repository and Token set, items get a "Create issue" button.</summary>
public sealed class GitHubOptions
{
    /// <summary>"owner/repo".</summary>
    [RegularExpression(@"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")]
    public string? Repository { get; set; }

    /// <summary>A token that may create issues in the repository. Never logged.</summary>
    public string? Token { get; set; }

    /// <summary>GitHub's REST API (GitHub Enterprise: https://host/api/v3/).</summary>
    public string ApiUrl { get; set; } = "https://api.github.com/";

    public bool Enabled => !string.IsNullOrWhiteSpace(Repository) && !string.IsNullOrWhiteSpace(Token);
}
