namespace Bot.Slack.Dispatch;

/// <summary>When an event handler runs relative to Slack's acknowledgement.</summary>
public enum EventTiming
{
    /// <summary>On the in-process work queue after Slack has been answered. The event is written to the
    /// <see cref="ISlackInbox"/> before the ack, so with a durable inbox an event queued when the process dies is
    /// replayed by the next process (with the library's in-memory default it is gone: Slack got its 200).</summary>
    AfterAck,

    /// <summary>Before Slack is answered, within SlackOptions.AckDeadline. When the handler throws or runs past
    /// the deadline, Slack is not acknowledged (HTTP 503, no Socket Mode ack) and delivers the event again, so the
    /// handler must be idempotent (store the event_id with its effect) and quick (one short transaction).</summary>
    BeforeAck,
}
