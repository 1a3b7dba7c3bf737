namespace Bot.Incidents;

/// <summary>The exact usage lines, shown back when a command's arguments are wrong.</summary>
public static class Usage
{
    public const string New = "/incident new <title> [sev1|sev2|sev3|sev4] [private|public]";
    public const string Commander = "/incident commander @user";
    public const string Role = "/incident role <role> @user";
    public const string Status = "/incident status investigating|identified|monitoring";
    public const string Severity = "/incident severity sev1|sev2|sev3|sev4";
    public const string Note = "/incident note <text>";
    public const string Link = "/incident link <label> <url>";
    public const string Timeline = "/incident timeline";
    public const string Resolve = "/incident resolve [summary]";
    public const string Reopen = "/incident reopen [reason]";
    public const string Backfill = "/incident backfill [from <date-time>]";
    public const string Stats = "/incident stats [days]";
    public const string Help = "/incident help";

    public static readonly IReadOnlyList<string> All = [New, Commander, Role, Status, Severity, Note, Link, Timeline, Resolve, Reopen, Backfill, Stats, Help];

    public static string Line(string usage) => $"Usage: `{usage}`";

    public static string HelpText =>
        "*Incident commands*\n" + string.Join("\n", All.Select(u => $"• `{u}`"));
}
