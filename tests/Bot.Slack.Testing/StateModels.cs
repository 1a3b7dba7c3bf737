using System.Text.Json.Nodes;

namespace Bot.Slack.Testing;

// The workspace as the fake holds it. Tests read these through FakeSlack's accessors (snapshots of the lists);
// only the fake's handlers change them.

public sealed class FakeUser
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public string? RealName { get; init; }
    public string? DisplayName { get; init; }
    public string Tz { get; init; } = "Etc/UTC";
    public string? Title { get; init; }
    public string? Email { get; init; }
    public bool IsBot { get; init; }
    public bool Deleted { get; set; }
}

public sealed class FakeUserGroup
{
    public required string Id { get; init; }
    public required string Handle { get; init; }
    public required string Name { get; init; }
    public string? Description { get; init; }
    public List<string> Users { get; } = [];
}

public sealed class FakeChannel
{
    public required string Id { get; init; }
    /// <summary>Null for DMs.</summary>
    public string? Name { get; internal set; }
    public bool IsPrivate { get; init; }
    public bool IsIm { get; init; }
    public bool IsMpim { get; init; }
    public bool IsArchived { get; internal set; }
    public long Created { get; init; }
    public string? Creator { get; init; }
    /// <summary>The other party of a DM.</summary>
    public string? ImUser { get; init; }
    public string Topic { get; internal set; } = "";
    public string Purpose { get; internal set; } = "";
    internal List<string> MemberList { get; } = [];
    internal List<FakeMessage> MessageList { get; } = [];
    internal List<FakePin> PinList { get; } = [];
    internal List<FakeMessage> EphemeralList { get; } = [];
    internal List<JsonObject> BookmarkList { get; } = [];
    /// <summary>The fake's state lock, so a test reading these lists never races a handler.</summary>
    internal Lock Gate { get; init; } = new();

    public IReadOnlyList<string> Members
    {
        get { lock (Gate) return [.. MemberList]; }
    }

    public IReadOnlyList<FakePin> Pins
    {
        get { lock (Gate) return [.. PinList]; }
    }

    public IReadOnlyList<JsonObject> Bookmarks
    {
        get { lock (Gate) return [.. BookmarkList.Select(b => b.DeepClone().AsObject())]; }
    }
}

public sealed record FakePin(string MessageTs, long Created, string CreatedBy);

public sealed class FakeMessage
{
    public required string Channel { get; init; }
    public required string Ts { get; init; }
    public string? ThreadTs { get; init; }
    public string? User { get; init; }
    public string? BotId { get; init; }
    public string? Subtype { get; init; }
    public string? Text { get; internal set; }
    public JsonNode? Blocks { get; internal set; }
    public JsonNode? Attachments { get; internal set; }
    public bool ReplyBroadcast { get; init; }
    /// <summary>Set by chat.update.</summary>
    public string? EditedTs { get; internal set; }
    /// <summary>The recipient of an ephemeral message.</summary>
    public string? EphemeralTo { get; init; }
    public List<string> FileIds { get; init; } = [];
    /// <summary>The message's metadata ({event_type, event_payload}), as chat.postMessage took it.</summary>
    public JsonNode? Metadata { get; init; }
    /// <summary>Reaction name → users who added it, in order.</summary>
    public Dictionary<string, List<string>> Reactions { get; } = new(StringComparer.Ordinal);

    public bool IsReply => ThreadTs is not null && ThreadTs != Ts;

    /// <summary>A message Slack itself writes into the channel (joins, topic, purpose, archive).</summary>
    public bool IsSystem => Subtype is "channel_join" or "channel_leave" or "channel_topic" or "channel_purpose"
        or "channel_archive" or "channel_name";
}

public sealed class FakeView
{
    public required string Id { get; init; }
    public required string Type { get; init; }
    /// <summary>The trigger that opened a modal, or null.</summary>
    public string? TriggerId { get; init; }
    /// <summary>The user of a Home tab, or null.</summary>
    public string? UserId { get; init; }
    public string? RootViewId { get; init; }
    public string? PreviousViewId { get; init; }
    public string? ExternalId { get; internal set; }
    public string Hash { get; internal set; } = "";
    public required JsonObject Definition { get; set; }
    /// <summary>How many times views.update (or a view_submission answered "update") replaced it.</summary>
    public int Updates { get; internal set; }
    /// <summary>Closed by the user's submission (an empty answer, or "clear" for the whole stack).</summary>
    public bool Closed { get; internal set; }
}

public sealed class FakeFile
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required long Length { get; init; }
    public string? Title { get; internal set; }
    /// <summary>Set for files people shared (seeded); the bot's uploads leave it to the name.</summary>
    public string? Mimetype { get; init; }
    /// <summary>Who shared it; null: the bot.</summary>
    public string? Owner { get; init; }
    public byte[]? Content { get; internal set; }
    public bool Completed { get; internal set; }
    public List<string> Channels { get; } = [];
}
