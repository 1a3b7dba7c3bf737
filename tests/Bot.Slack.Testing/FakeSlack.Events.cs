using System.Text.Json.Nodes;

namespace Bot.Slack.Testing;

/// <summary>An event the fake sent to the app because of something the bot did, and what the app answered.</summary>
public sealed record DeliveredEvent(JsonObject Event, AppReply? Reply, string? Error);

// The Events API echo: what Slack tells the app about the bot's own actions in channels the bot is in
// (its messages, edits, deletions, pins, members it invited, topic and purpose changes), in order, after the
// Web API call has been answered. Off until DeliverEventsTo is called.
public sealed partial class FakeSlack
{
    private readonly System.Threading.Channels.Channel<JsonObject> _eventQueue = System.Threading.Channels.Channel.CreateUnbounded<JsonObject>(new System.Threading.Channels.UnboundedChannelOptions { SingleReader = true });
    private readonly List<DeliveredEvent> _delivered = [];
    private SlackAppDriver? _eventSink;
    private Task? _eventPump;

    /// <summary>From now on, deliver the events Slack would send for the bot's actions to the app through
    /// <paramref name="driver"/> (HTTP or Socket Mode).</summary>
    public void DeliverEventsTo(SlackAppDriver driver)
    {
        lock (_gate)
        {
            _eventSink = driver;
            _eventPump ??= Task.Run(PumpEvents);
        }
    }

    public IReadOnlyList<DeliveredEvent> DeliveredEvents
    {
        get { lock (_gate) return [.. _delivered]; }
    }

    public Task<DeliveredEvent> WaitForDeliveredEvent(Func<JsonObject, bool> predicate, TimeSpan? timeout = null) =>
        WaitUntil(
            () => DeliveredEvents.FirstOrDefault(d => predicate(d.Event)),
            timeout,
            () => $"No matching event delivered. Delivered: {string.Join(" | ", DeliveredEvents.Select(d => d.Event.ToJsonString()))}");

    /// <summary>Queues an event for a channel (callers hold _gate). Slack only sends channel events to members.</summary>
    private void Emit(FakeChannel channel, JsonObject evt)
    {
        if (_eventSink is null || !channel.MemberList.Contains(BotUserId)) return;
        evt["event_ts"] ??= NextTs();
        _eventQueue.Writer.TryWrite(evt);
    }

    private void EmitMessage(FakeChannel channel, FakeMessage message)
    {
        if (_eventSink is null) return;
        var evt = MessageJson(channel, message);
        evt["channel"] = channel.Id;
        evt["event_ts"] = message.Ts;
        evt["channel_type"] = ChannelType(channel);
        Emit(channel, evt);
    }

    /// <summary>Slack's own messages in a channel (channel_join, channel_topic, channel_purpose): they are in the
    /// history and arrive as message events like any other.</summary>
    private void AddSystemMessage(FakeChannel channel, string subtype, string user, string text, Action<JsonObject>? extra = null)
    {
        var message = new FakeMessage { Channel = channel.Id, Ts = NextTs(), User = user, Subtype = subtype, Text = text };
        channel.MessageList.Add(message);
        if (_eventSink is null) return;
        var evt = MessageJson(channel, message);
        evt["channel"] = channel.Id;
        evt["event_ts"] = message.Ts;
        evt["channel_type"] = ChannelType(channel);
        extra?.Invoke(evt);
        Emit(channel, evt);
    }

    private static string ChannelType(FakeChannel c) => c.IsIm ? "im" : c.IsMpim ? "mpim" : c.IsPrivate ? "group" : "channel";

    private async Task PumpEvents()
    {
        try
        {
            await foreach (var evt in _eventQueue.Reader.ReadAllAsync(_stopping.Token))
            {
                SlackAppDriver sink;
                lock (_gate) sink = _eventSink!;
                DeliveredEvent delivered;
                try
                {
                    delivered = new DeliveredEvent(evt, await sink.Event(evt), null);
                }
                catch (Exception e) when (e is HttpRequestException or TimeoutException or IOException or TaskCanceledException)
                {
                    delivered = new DeliveredEvent(evt, null, e.Message);
                }
                lock (_gate) _delivered.Add(delivered);
                Signal();
            }
        }
        catch (OperationCanceledException)
        {
            // The fake is being disposed.
        }
    }
}
