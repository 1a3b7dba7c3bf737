using Bot.Slack.Blocks;
using Bot.Slack.Events;
using Bot.Slack.Interactivity;

namespace Bot.Slack.Handlers;

public enum SlackTransport { Http, SocketMode }

/// <summary>What a handler may want to know about the delivery, beyond the event itself.
/// EventId and the retry fields let the app store each event once.</summary>
public sealed record EventContext(
    string? EventId,
    string? TeamId,
    string? ApiAppId,
    long EventTime,
    int? RetryNum,
    string? RetryReason,
    SlackTransport Transport,
    EventCallback Envelope)
{
    /// <summary>The context of one delivery, the same whichever transport brought it: a first delivery has no
    /// retry number or reason (Socket Mode sends retry_attempt 0 and retry_reason "", HTTP sends no headers).</summary>
    public static EventContext For(EventCallback callback, int? retryNum, string? retryReason, SlackTransport transport) =>
        new(callback.EventId, callback.TeamId, callback.ApiAppId, callback.EventTime,
            retryNum is > 0 ? retryNum : null,
            string.IsNullOrEmpty(retryReason) ? null : retryReason,
            transport, callback);
}

/// <summary>Handles one event type. IEventHandler&lt;SlackEvent&gt; sees every event.
/// Runs after Slack has been answered, in its own DI scope.</summary>
public interface IEventHandler<in TEvent> where TEvent : SlackEvent
{
    Task Handle(TEvent slackEvent, EventContext context, CancellationToken ct);
}

/// <summary>Handles one slash command (the routing key, e.g. "/incident").
/// The reply (null: empty 200) goes in the HTTP answer, or to response_url if the handler ran past the ack deadline.</summary>
public interface ISlashCommandHandler
{
    Task<MessageResponse?> Handle(SlashCommand command, CancellationToken ct);
}

/// <summary>Handles block_actions for one action_id. Runs after Slack has been answered (Slack ignores ack bodies here).</summary>
public interface IBlockActionHandler
{
    Task Handle(BlockAction action, BlockActionsPayload payload, CancellationToken ct);
}

/// <summary>Handles view_submission for one callback_id. Null closes the modal.</summary>
public interface IViewSubmissionHandler
{
    Task<ViewSubmissionResponse?> Handle(ViewSubmissionPayload payload, CancellationToken ct);
}

/// <summary>Handles view_closed for one callback_id (only sent when the view asked for notify_on_close).</summary>
public interface IViewClosedHandler
{
    Task Handle(ViewClosedPayload payload, CancellationToken ct);
}

/// <summary>Handles a message shortcut for one callback_id. Runs after Slack has been answered.</summary>
public interface IMessageShortcutHandler
{
    Task Handle(MessageShortcutPayload payload, CancellationToken ct);
}

/// <summary>Handles a global shortcut for one callback_id. Runs after Slack has been answered.</summary>
public interface IGlobalShortcutHandler
{
    Task Handle(GlobalShortcutPayload payload, CancellationToken ct);
}

/// <summary>A message sent back to Slack as a command reply or through response_url.</summary>
public sealed class MessageResponse
{
    /// <summary>"ephemeral" (only the user sees it) or "in_channel".</summary>
    public string ResponseType { get; init; } = "ephemeral";
    public string? Text { get; init; }
    public IReadOnlyList<Block>? Blocks { get; init; }
    public bool? ReplaceOriginal { get; init; }
    public bool? DeleteOriginal { get; init; }

    public static MessageResponse Ephemeral(string text, IReadOnlyList<Block>? blocks = null) =>
        new() { ResponseType = "ephemeral", Text = text, Blocks = blocks };

    public static MessageResponse InChannel(string text, IReadOnlyList<Block>? blocks = null) =>
        new() { ResponseType = "in_channel", Text = text, Blocks = blocks };
}

/// <summary>The answer to a view submission: field errors, an updated or pushed view, or clear.</summary>
public sealed class ViewSubmissionResponse
{
    public string ResponseAction { get; private init; } = "";
    public IReadOnlyDictionary<string, string>? Errors { get; private init; }
    public View? View { get; private init; }

    /// <summary>block_id → message shown under that input.</summary>
    public static ViewSubmissionResponse WithErrors(IReadOnlyDictionary<string, string> errors) =>
        new() { ResponseAction = "errors", Errors = errors };
    public static ViewSubmissionResponse Update(View view) => new() { ResponseAction = "update", View = view };
    public static ViewSubmissionResponse Push(View view) => new() { ResponseAction = "push", View = view };
    public static ViewSubmissionResponse Clear() => new() { ResponseAction = "clear" };
}
