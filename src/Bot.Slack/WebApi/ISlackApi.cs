using System.Text.Json;
using Bot.Slack.Blocks;
using Bot.Slack.Events;
using Bot.Slack.Handlers;

namespace Bot.Slack.WebApi;

/// <summary>The Slack Web API, grouped by method family like SlackNet. Every call is rate-limited per
/// method tier, retries 429 after Retry-After and 5xx/network errors with backoff (bounded), and turns
/// ok:false into <see cref="SlackApiException"/>. List methods follow cursors to the end.</summary>
public interface ISlackApi
{
    IAuthApi Auth { get; }
    IChatApi Chat { get; }
    IConversationsApi Conversations { get; }
    IUsersApi Users { get; }
    IUsergroupsApi Usergroups { get; }
    IViewsApi Views { get; }
    IPinsApi Pins { get; }
    IFilesApi Files { get; }

    /// <summary>Any method by name, for what the typed groups do not cover. Args are form or JSON fields.</summary>
    Task<JsonElement> Call(string method, IReadOnlyDictionary<string, object?> args, CancellationToken ct = default);

    /// <summary>Posts a reply to a slash command's or interaction's response_url.</summary>
    Task Respond(string responseUrl, MessageResponse message, CancellationToken ct = default);
}

/// <summary>ok:false from Slack (Error is Slack's code, e.g. "channel_not_found"), or a call that kept failing:
/// "ratelimited" (429 after the allowed retries), "http_503" and the like (5xx after the retries, or another
/// unexpected status), "network_error", "timeout", "invalid_response" (not Slack's JSON).</summary>
public class SlackApiException : Exception
{
    public SlackApiException(string method, string error, string? detail = null, Exception? inner = null)
        : base($"Slack {method} failed: {error}{(detail is null ? "" : " (" + detail + ")")}", inner)
    {
        Method = method;
        Error = error;
        Detail = detail;
    }

    public string Method { get; }
    public string Error { get; }
    public string? Detail { get; }
}

public interface IAuthApi
{
    Task<AuthTestResult> Test(CancellationToken ct = default);
}

public sealed record AuthTestResult(string? UserId, string? User, string? TeamId, string? Team, string? BotId, string? Url);

/// <summary>An outbound message. Text is the notification fallback and must be set even when Blocks are.</summary>
public sealed record OutgoingMessage
{
    public required string Channel { get; init; }
    public string? Text { get; init; }
    public IReadOnlyList<Block>? Blocks { get; init; }
    public string? ThreadTs { get; init; }
    public bool? UnfurlLinks { get; init; }
    public bool? Mrkdwn { get; init; }

    /// <summary>Makes the post safe to repeat. The message carries the key in its metadata, and after a lost answer (a 5xx
    /// or a timeout: Slack may have posted it) the client looks in the channel's recent history for it before posting
    /// again; found, its ts is returned and nothing is posted twice. Needs the history scope of the channel's type.</summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>With <see cref="IdempotencyKey"/>: look before the first attempt too, for a caller whose earlier run may
    /// have posted it (a Hangfire retry after the client gave up on a lost answer).</summary>
    public bool LookFirst { get; init; }
}

public sealed record PostedMessage(string Channel, string Ts);

public interface IChatApi
{
    Task<PostedMessage> PostMessage(OutgoingMessage message, CancellationToken ct = default);
    /// <summary>Returns the message_ts Slack gives the ephemeral message.</summary>
    Task<string?> PostEphemeral(string user, OutgoingMessage message, CancellationToken ct = default);
    Task<PostedMessage> Update(string channel, string ts, string? text, IReadOnlyList<Block>? blocks, CancellationToken ct = default);
    Task<string> GetPermalink(string channel, string messageTs, CancellationToken ct = default);
}

public sealed record Conversation
{
    public string Id { get; init; } = "";
    public string? Name { get; init; }
    public bool IsPrivate { get; init; }
    public bool IsArchived { get; init; }
    public bool IsIm { get; init; }
    public bool IsMember { get; init; }
    public string? Topic { get; init; }
    public string? Purpose { get; init; }
    public int? NumMembers { get; init; }
}

public interface IConversationsApi
{
    Task<Conversation> Create(string name, bool isPrivate = false, CancellationToken ct = default);
    /// <summary>Invites users (at most 1000 a call; longer lists are split).</summary>
    Task Invite(string channel, IEnumerable<string> users, CancellationToken ct = default);
    Task SetTopic(string channel, string topic, CancellationToken ct = default);
    Task SetPurpose(string channel, string purpose, CancellationToken ct = default);
    Task<Conversation> Info(string channel, CancellationToken ct = default);
    /// <summary>All member ids, every page.</summary>
    Task<IReadOnlyList<string>> Members(string channel, CancellationToken ct = default);
    /// <summary>Messages newest first, every page (bounded by oldest/latest when given).</summary>
    Task<IReadOnlyList<MessageEvent>> History(string channel, string? oldest = null, string? latest = null, CancellationToken ct = default);
    /// <summary>One page of messages, newest first, after <paramref name="oldest"/> (exclusive) when given; Cursor
    /// continues it, NextCursor is null on the last page. For work that shows progress page by page.</summary>
    Task<MessagePage> HistoryPage(string channel, string? oldest = null, string? cursor = null, CancellationToken ct = default);
    /// <summary>The thread's parent and replies, every page.</summary>
    Task<IReadOnlyList<MessageEvent>> Replies(string channel, string threadTs, CancellationToken ct = default);
    /// <summary>Opens (or finds) a DM or group DM; returns its channel id.</summary>
    Task<string> Open(IEnumerable<string> users, CancellationToken ct = default);
    Task Archive(string channel, CancellationToken ct = default);
    /// <summary>Joins a public channel (a member already: no change).</summary>
    Task Join(string channel, CancellationToken ct = default);
}

public sealed record MessagePage(IReadOnlyList<MessageEvent> Messages, string? NextCursor);

public sealed record SlackUser
{
    public string Id { get; init; } = "";
    public string? TeamId { get; init; }
    public string? Name { get; init; }
    public string? RealName { get; init; }
    public string? Tz { get; init; }
    public string? TzLabel { get; init; }
    public int? TzOffset { get; init; }
    public bool IsBot { get; init; }
    public bool Deleted { get; init; }
    public SlackUserProfile? Profile { get; init; }
}

public sealed record SlackUserProfile
{
    public string? DisplayName { get; init; }
    public string? RealName { get; init; }
    public string? Title { get; init; }
    public string? Email { get; init; }
    [System.Text.Json.Serialization.JsonPropertyName("image_72")] public string? Image72 { get; init; }
}

public interface IUsersApi
{
    Task<SlackUser> Info(string user, CancellationToken ct = default);
    /// <summary>Every user, every page.</summary>
    Task<IReadOnlyList<SlackUser>> List(CancellationToken ct = default);
}

public sealed record UserGroup(string Id, string? Handle, string? Name, IReadOnlyList<string> Users);

public interface IUsergroupsApi
{
    Task<IReadOnlyList<UserGroup>> List(bool includeUsers = true, CancellationToken ct = default);
}

public sealed record OpenedView(string Id, string? Hash);

public interface IViewsApi
{
    Task<OpenedView> Open(string triggerId, View view, CancellationToken ct = default);
    Task<OpenedView> Update(string viewId, View view, string? hash = null, CancellationToken ct = default);
    Task<OpenedView> Publish(string userId, View view, CancellationToken ct = default);
}

public sealed record PinnedItem(string Type, string? Channel, MessageEvent? Message, long? Created, string? CreatedBy);

public interface IPinsApi
{
    Task Add(string channel, string timestamp, CancellationToken ct = default);
    Task<IReadOnlyList<PinnedItem>> List(string channel, CancellationToken ct = default);
}

public sealed record UploadedFile(string Id, string? Title, string? Permalink);

public interface IFilesApi
{
    /// <summary>files.getUploadURLExternal, the bytes POSTed to the upload URL, then files.completeUploadExternal
    /// shared into channel (a channel or DM id) when given.</summary>
    Task<UploadedFile> Upload(string filename, ReadOnlyMemory<byte> content, string? title = null, string? channel = null,
        string? initialComment = null, string? threadTs = null, CancellationToken ct = default);
}
