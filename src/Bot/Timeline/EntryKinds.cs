namespace Bot.Timeline;

/// <summary>Timeline entry kinds (timeline_entries.kind).</summary>
public static class EntryKinds
{
    public const string Message = "message";
    public const string Detail = "detail";
    public const string Note = "note";
    public const string Status = "status";
    public const string Severity = "severity";
    public const string Commander = "commander";
    public const string Role = "role";
    public const string Link = "link";
    public const string Joined = "joined";
    public const string Left = "left";
    public const string Opened = "opened";
    public const string Published = "published";
}
