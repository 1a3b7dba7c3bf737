using Bot.Slack.Events;
using Bot.Slack.Handlers;

namespace Bot.Timeline;

/// <summary>Reactions from the emoji legend mark a message for a post-mortem section. One row per person and
/// emoji, so several people reacting count once and the mark stays until the last reaction is removed.</summary>
public sealed class ReactionMarksMessage(TimelineStore store, EmojiLegend legend) :
    IEventHandler<ReactionAddedEvent>, IEventHandler<ReactionRemovedEvent>
{
    public Task Handle(ReactionAddedEvent e, EventContext context, CancellationToken ct)
    {
        if (!Applies(e.Item, e.User, e.Reaction, out var channel, out var ts, out var emoji, out var section)) return Task.CompletedTask;
        return store.ReactionAdded(EventKey.For(context, "reaction_added", channel, $"{ts}:{emoji}:{e.User}:{e.EventTs}"),
            channel, ts, emoji, e.User!, section, e.EventTs, ct);
    }

    public Task Handle(ReactionRemovedEvent e, EventContext context, CancellationToken ct)
    {
        if (!Applies(e.Item, e.User, e.Reaction, out var channel, out var ts, out var emoji, out var section)) return Task.CompletedTask;
        return store.ReactionRemoved(EventKey.For(context, "reaction_removed", channel, $"{ts}:{emoji}:{e.User}:{e.EventTs}"),
            channel, ts, emoji, e.User!, section, e.EventTs, ct);
    }

    private bool Applies(EventItem? item, string? user, string? reaction, out string channel, out string ts, out string emoji, out string section)
    {
        channel = item?.Channel ?? "";
        ts = item?.Ts ?? "";
        emoji = BaseEmoji(reaction);
        section = legend.SectionFor(emoji) ?? "";
        return item?.Type == "message" && channel.Length > 0 && ts.Length > 0 && user is not null && section.Length > 0;
    }

    /// <summary>"eyes::skin-tone-2" is the same mark as "eyes".</summary>
    public static string BaseEmoji(string? reaction)
    {
        if (string.IsNullOrEmpty(reaction)) return "";
        var tone = reaction.IndexOf("::", StringComparison.Ordinal);
        return (tone >= 0 ? reaction[..tone] : reaction).ToLowerInvariant();
    }
}
