using Bot.Slack.Events;
using Bot.Slack.Handlers;

namespace Bot.Timeline;

/// <summary>People joining and leaving an incident channel (the bot itself is not news).</summary>
public sealed class MemberJoinLeave(TimelineStore store, BotIdentity bot) :
    IEventHandler<MemberJoinedChannelEvent>, IEventHandler<MemberLeftChannelEvent>
{
    public Task Handle(MemberJoinedChannelEvent e, EventContext context, CancellationToken ct) =>
        e.Channel is null || e.User is null || bot.IsSelf(e.User, null)
            ? Task.CompletedTask
            : store.Membership(EventKey.For(context, "member_joined_channel", e.Channel, $"{e.User}:{e.EventTs}"), e.Channel, EntryKinds.Joined, e.User, e.EventTs, ct);

    public Task Handle(MemberLeftChannelEvent e, EventContext context, CancellationToken ct) =>
        e.Channel is null || e.User is null || bot.IsSelf(e.User, null)
            ? Task.CompletedTask
            : store.Membership(EventKey.For(context, "member_left_channel", e.Channel, $"{e.User}:{e.EventTs}"), e.Channel, EntryKinds.Left, e.User, e.EventTs, ct);
}
