using System.Text.Json;
using Bot.Slack.Events;

namespace Bot.Slack.Dispatch;

/// <summary>The channel an event happened in, used to keep one channel's events in order.</summary>
public static class SlackEventChannel
{
    public static string? Of(SlackEvent slackEvent) => slackEvent switch
    {
        MessageEvent m => m.Channel,
        ReactionAddedEvent r => r.Item?.Channel,
        ReactionRemovedEvent r => r.Item?.Channel,
        PinAddedEvent p => p.ChannelId ?? p.Item?.Channel,
        PinRemovedEvent p => p.ChannelId ?? p.Item?.Channel,
        MemberJoinedChannelEvent j => j.Channel,
        MemberLeftChannelEvent l => l.Channel,
        ChannelRenameEvent c => c.Channel?.Id,
        AppHomeOpenedEvent h => h.Channel,
        _ => slackEvent.Extra is { } extra && extra.TryGetValue("channel", out var c) && c.ValueKind == JsonValueKind.String
            ? c.GetString()
            : null,
    };
}
