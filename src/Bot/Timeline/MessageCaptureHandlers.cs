using Bot.Slack.Events;
using Bot.Slack.Handlers;

namespace Bot.Timeline;

/// <summary>New messages (thread replies, file shares and broadcasts too) in incident channels.</summary>
public sealed class MessagePostedCapture(TimelineStore store, BotIdentity bot) : IEventHandler<MessageEvent>
{
    public Task Handle(MessageEvent e, EventContext context, CancellationToken ct) =>
        e.Channel is not null && MessageClassifier.Classify(e, bot) is MessageCapture.Posted posted
            ? store.MessagePosted(EventKey.For(context, "message", e.Channel, posted.Ts), e.Channel, posted, ct)
            : Task.CompletedTask;
}

/// <summary>message_changed: edits (also of thread replies), and tombstones of deleted parents.</summary>
public sealed class MessageChangedCapture(TimelineStore store, BotIdentity bot) : IEventHandler<MessageEvent>
{
    public Task Handle(MessageEvent e, EventContext context, CancellationToken ct)
    {
        if (e.Subtype != "message_changed" || e.Channel is null) return Task.CompletedTask;
        return MessageClassifier.Classify(e, bot) switch
        {
            MessageCapture.Changed c => store.MessageChanged(EventKey.For(context, "message_changed", e.Channel, c.Ts + ":" + e.EventTs), e.Channel, c, ct),
            MessageCapture.Deleted d => store.MessageDeleted(EventKey.For(context, "message_changed", e.Channel, d.Ts + ":" + e.EventTs), e.Channel, d, ct),
            _ => Task.CompletedTask,
        };
    }
}

/// <summary>message_deleted: the entry leaves the document, its record stays.</summary>
public sealed class MessageDeletedCapture(TimelineStore store, BotIdentity bot) : IEventHandler<MessageEvent>
{
    public Task Handle(MessageEvent e, EventContext context, CancellationToken ct) =>
        e.Subtype == "message_deleted" && e.Channel is not null && MessageClassifier.Classify(e, bot) is MessageCapture.Deleted d
            ? store.MessageDeleted(EventKey.For(context, "message_deleted", e.Channel, d.Ts), e.Channel, d, ct)
            : Task.CompletedTask;
}
