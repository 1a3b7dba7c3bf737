namespace Bot.History;

/// <summary>A Slack export that cannot be read as asked: one line for the person who ran the command.</summary>
public sealed class ExportException(string message) : Exception(message);

/// <summary>users.json: the fields the document uses.</summary>
public sealed record ExportUser(string Id, string Name, string? RealName, string? Title, string? Tz)
{
    /// <summary>What the document calls them: the real name, else the handle (the live bot's rule).</summary>
    public string Display => !string.IsNullOrWhiteSpace(RealName) ? RealName! : Name;
}

/// <summary>channels.json / groups.json; <see cref="PinnedTs"/> from the channel's <c>pins</c>.</summary>
public sealed record ExportChannel(string Id, string Name, string? Creator, string? Topic, string? Purpose, bool IsPrivate,
    IReadOnlySet<string> PinnedTs);

public sealed record ExportFile(string? Name, string? Title, string? Mimetype, string? Permalink, string? UrlPrivate)
{
    public bool IsImage => Mimetype?.StartsWith("image/", StringComparison.Ordinal) == true;
}

public sealed record ExportReaction(string Name, IReadOnlyList<string> Users);

/// <summary>One message of a day file. <see cref="ThreadTs"/> is set for replies only (not for a thread's parent).</summary>
public sealed record ExportMessage(
    string Ts, DateTimeOffset At, string? UserId, string Text, string? Subtype, string? ThreadTs, bool Edited,
    IReadOnlyList<ExportFile> Files, IReadOnlyList<ExportReaction> Reactions, bool Pinned);
