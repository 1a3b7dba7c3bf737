using Bot.Slack.Events;
using Bot.Slack.Handlers;

namespace Bot.Timeline;

/// <summary>pin_added / pin_removed mark and unmark a highlight; links in the pinned message become
/// war-room links. (The pinned_item message Slack may also post is ignored by the message capture.)</summary>
public sealed class PinMarksHighlight(TimelineStore store) : IEventHandler<PinAddedEvent>, IEventHandler<PinRemovedEvent>
{
    public Task Handle(PinAddedEvent e, EventContext context, CancellationToken ct)
    {
        var channel = e.ChannelId ?? e.Item?.Channel;
        var ts = e.Item?.Message?.Ts ?? e.Item?.Ts;
        if (e.Item?.Type != "message" || channel is null || ts is null) return Task.CompletedTask;
        return store.Pinned(EventKey.For(context, "pin_added", channel, $"{ts}:{e.EventTs}"), channel, ts, e.User,
            PinnedLinks.In(e.Item.Message?.Text), e.EventTs, ct);
    }

    public Task Handle(PinRemovedEvent e, EventContext context, CancellationToken ct)
    {
        var channel = e.ChannelId ?? e.Item?.Channel;
        var ts = e.Item?.Message?.Ts ?? e.Item?.Ts;
        if (e.Item?.Type != "message" || channel is null || ts is null) return Task.CompletedTask;
        return store.Unpinned(EventKey.For(context, "pin_removed", channel, $"{ts}:{e.EventTs}"), channel, ts, e.EventTs, ct);
    }
}
