using Bot.Slack.Handlers;

namespace Bot.Timeline;

public static class EventKey
{
    /// <summary>Slack always sends event_id; should one be missing, the event's own identity stands in
    /// so a retry is still recognised.</summary>
    public static string For(EventContext context, string type, string? channel, string? ts) =>
        context.EventId ?? $"{type}:{channel}:{ts}";
}
