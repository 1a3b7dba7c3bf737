using Hangfire.States;

namespace Bot.Workspace;

/// <summary>A Hangfire state of our own for a job held back because its workspace uninstalled the app or revoked the
/// bot's token: not final (it never expires), shown with its reason in the dashboard, counted in
/// workspace_parked_jobs, and moved back to Enqueued (from this state only) when the workspace is installed again.</summary>
public sealed class ParkedState(string teamId, string reason, DateTimeOffset at) : IState
{
    public const string StateName = "Parked";

    public string Name => StateName;
    public string Reason => reason;
    public bool IsFinal => false;
    public bool IgnoreJobLoadException => false;

    public Dictionary<string, string> SerializeData() => new()
    {
        ["TeamId"] = teamId,
        ["ParkedAt"] = at.UtcDateTime.ToString("O"),
    };
}
