namespace Bot.Workspace;

/// <summary>Whether the bot may talk to a workspace, since when, and why.</summary>
public sealed record WorkspaceState(string TeamId, string State, DateTimeOffset Since, string Reason)
{
    public const string Installed = "installed";
    public const string Uninstalled = "uninstalled";
    public const string Revoked = "revoked";

    public bool IsInstalled => State == Installed;
}
