using System.Text.Json;
using System.Text.Json.Serialization;

namespace Bot.Slack.Events;

/// <summary>The outer Events API envelope (type event_callback).</summary>
public sealed class EventCallback
{
    public string Type { get; set; } = "";
    public string? Token { get; set; }
    public string? TeamId { get; set; }
    public string? ApiAppId { get; set; }
    public string? EventId { get; set; }
    public long EventTime { get; set; }
    public SlackEvent Event { get; set; } = new UnknownEvent();
    public bool? IsExtSharedChannel { get; set; }
    public string? EventContext { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>Base of every inner event. Fields a typed event does not name are kept in Extra, not lost.
/// Read polymorphically by "type" (<see cref="Parsing.SlackEventConverter"/>).</summary>
[JsonConverter(typeof(Parsing.SlackEventConverter))]
public abstract class SlackEvent
{
    public string Type { get; set; } = "";
    public string? EventTs { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>An event type this library has no class for; handled by IEventHandler&lt;SlackEvent&gt; only.</summary>
public sealed class UnknownEvent : SlackEvent { }

/// <summary>message, with every subtype: plain, thread reply (ThreadTs != Ts), bot_message, file_share,
/// message_changed (Message / PreviousMessage), message_deleted (DeletedTs / PreviousMessage), and others.</summary>
public sealed class MessageEvent : SlackEvent
{
    public string? Subtype { get; set; }
    public string? Channel { get; set; }
    public string? ChannelType { get; set; }
    public string? User { get; set; }
    public string? BotId { get; set; }
    public string? Username { get; set; }
    public string? Text { get; set; }
    public string? Ts { get; set; }
    public string? ThreadTs { get; set; }
    public string? ParentUserId { get; set; }
    public bool? Hidden { get; set; }
    public string? DeletedTs { get; set; }
    public string? ClientMsgId { get; set; }
    public string? Team { get; set; }
    public MessageEdited? Edited { get; set; }
    public List<SlackFile>? Files { get; set; }
    public JsonElement? Blocks { get; set; }
    public JsonElement? Attachments { get; set; }
    /// <summary>message_changed: the message as it is now.</summary>
    public MessageEvent? Message { get; set; }
    /// <summary>message_changed and message_deleted: the message as it was.</summary>
    public MessageEvent? PreviousMessage { get; set; }
    /// <summary>thread_broadcast: the thread's parent.</summary>
    public MessageEvent? Root { get; set; }
    /// <summary>Read from conversations.history / replies: replies under this parent, and who reacted with what.</summary>
    public int? ReplyCount { get; set; }
    public List<MessageReaction>? Reactions { get; set; }

    [JsonIgnore] public bool IsThreadReply => ThreadTs is not null && ThreadTs != Ts;
}

/// <summary>One emoji on a message as the Web API lists it: its name (with any skin tone) and who added it.</summary>
public sealed class MessageReaction
{
    public string? Name { get; set; }
    public List<string>? Users { get; set; }
    public int? Count { get; set; }
}

public sealed class MessageEdited
{
    public string? User { get; set; }
    public string? Ts { get; set; }
}

public sealed class SlackFile
{
    public string? Id { get; set; }
    public string? Name { get; set; }
    public string? Title { get; set; }
    public string? Mimetype { get; set; }
    public string? Filetype { get; set; }
    public string? User { get; set; }
    public long? Size { get; set; }
    public string? UrlPrivate { get; set; }
    public string? Permalink { get; set; }
    public string? Thumb360 { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }

    [JsonIgnore] public bool IsImage => Mimetype?.StartsWith("image/", StringComparison.Ordinal) == true;
}

/// <summary>The item a reaction or pin refers to.</summary>
public sealed class EventItem
{
    public string? Type { get; set; }
    public string? Channel { get; set; }
    public string? Ts { get; set; }
    public MessageEvent? Message { get; set; }
    public SlackFile? File { get; set; }
    public string? CreatedBy { get; set; }
    public long? Created { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}

public sealed class ReactionAddedEvent : SlackEvent
{
    public string? User { get; set; }
    public string? Reaction { get; set; }
    public string? ItemUser { get; set; }
    public EventItem? Item { get; set; }
}

public sealed class ReactionRemovedEvent : SlackEvent
{
    public string? User { get; set; }
    public string? Reaction { get; set; }
    public string? ItemUser { get; set; }
    public EventItem? Item { get; set; }
}

public sealed class PinAddedEvent : SlackEvent
{
    public string? User { get; set; }
    public string? ChannelId { get; set; }
    public EventItem? Item { get; set; }
}

public sealed class PinRemovedEvent : SlackEvent
{
    public string? User { get; set; }
    public string? ChannelId { get; set; }
    public EventItem? Item { get; set; }
    public bool? HasPins { get; set; }
}

public sealed class MemberJoinedChannelEvent : SlackEvent
{
    public string? User { get; set; }
    public string? Channel { get; set; }
    public string? ChannelType { get; set; }
    public string? Team { get; set; }
    public string? Inviter { get; set; }
}

public sealed class MemberLeftChannelEvent : SlackEvent
{
    public string? User { get; set; }
    public string? Channel { get; set; }
    public string? ChannelType { get; set; }
    public string? Team { get; set; }
}

public sealed class AppHomeOpenedEvent : SlackEvent
{
    public string? User { get; set; }
    public string? Channel { get; set; }
    public string? Tab { get; set; }
}

public sealed class ChannelRenameEvent : SlackEvent
{
    public RenamedChannel? Channel { get; set; }
}

public sealed class RenamedChannel
{
    public string? Id { get; set; }
    public string? Name { get; set; }
    public long? Created { get; set; }
}

public sealed class AppUninstalledEvent : SlackEvent { }

public sealed class TokensRevokedEvent : SlackEvent
{
    public RevokedTokens? Tokens { get; set; }
}

public sealed class RevokedTokens
{
    public List<string>? Oauth { get; set; }
    public List<string>? Bot { get; set; }
}
