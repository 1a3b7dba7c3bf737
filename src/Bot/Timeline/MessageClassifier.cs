using Bot.Slack.Events;

namespace Bot.Timeline;

/// <summary>What a message event means for the timeline. Pure, so every subtype rule is unit-tested.</summary>
public abstract record MessageCapture
{
    public sealed record Ignore(string Why) : MessageCapture;
    public sealed record Posted(string Ts, string? ThreadTs, string? User, string? Text, IReadOnlyList<SlackFile> Files) : MessageCapture;
    /// <summary>An edit (Slack stamped it: <paramref name="EditedTs"/>), or a change that is not one (an unfurl, a
    /// reply count): its text is then as of <paramref name="EventTs"/>, the moment Slack sent the change.</summary>
    public sealed record Changed(string Ts, string? ThreadTs, string? User, string? Text, bool WasEdited, string? EditedTs, string? EventTs = null) : MessageCapture;
    /// <summary>A delete (or the tombstone of a parent with replies) at <paramref name="EventTs"/>; the text is the
    /// message as it was, last edited at <paramref name="TextEditedTs"/> when it had been.</summary>
    public sealed record Deleted(string Ts, string? ThreadTs, string? User, string? Text, string? TextEditedTs = null, string? EventTs = null) : MessageCapture;
}

public static class MessageClassifier
{
    public static MessageCapture Classify(MessageEvent e, BotIdentity bot)
    {
        switch (e.Subtype)
        {
            // People talking; other subtypes (channel_join, topic, the pinned_item echo, bot_message ...) are not entries.
            case null or "" or "file_share" or "thread_broadcast" or "me_message":
                if (e.Ts is null) return new MessageCapture.Ignore("no ts");
                if (bot.IsSelf(e.User, e.BotId)) return new MessageCapture.Ignore("the bot's own message");
                if (e.User is null) return new MessageCapture.Ignore("no author");
                return new MessageCapture.Posted(e.Ts, e.IsThreadReply ? e.ThreadTs : null, e.User, e.Text, e.Files ?? []);

            case "message_changed":
                var m = e.Message;
                if (m?.Ts is null) return new MessageCapture.Ignore("no message");
                if (bot.IsSelf(m.User, m.BotId) || m.Subtype == "bot_message") return new MessageCapture.Ignore("the bot's own message");
                var threadTs = m.ThreadTs is not null && m.ThreadTs != m.Ts ? m.ThreadTs : null;
                // A parent with replies that is deleted becomes a tombstone first.
                if (m.Subtype == "tombstone")
                    return new MessageCapture.Deleted(m.Ts, threadTs, e.PreviousMessage?.User, e.PreviousMessage?.Text,
                        e.PreviousMessage?.Edited?.Ts, e.EventTs ?? e.Ts);
                return new MessageCapture.Changed(m.Ts, threadTs, m.User, m.Text, m.Edited is not null, m.Edited?.Ts, e.EventTs ?? e.Ts);

            case "message_deleted":
                var ts = e.DeletedTs ?? e.PreviousMessage?.Ts;
                if (ts is null) return new MessageCapture.Ignore("no deleted_ts");
                var prev = e.PreviousMessage;
                if (prev is not null && (bot.IsSelf(prev.User, prev.BotId) || prev.Subtype == "bot_message"))
                    return new MessageCapture.Ignore("the bot's own message");
                var prevThread = prev?.ThreadTs is not null && prev.ThreadTs != ts ? prev.ThreadTs : null;
                // After a tombstone, "the message as it was" is the tombstone: neither its text nor its author is the message's.
                if (prev?.Subtype == "tombstone") return new MessageCapture.Deleted(ts, prevThread, null, null, null, e.EventTs ?? e.Ts);
                return new MessageCapture.Deleted(ts, prevThread, prev?.User, prev?.Text, prev?.Edited?.Ts, e.EventTs ?? e.Ts);

            default:
                return new MessageCapture.Ignore($"subtype {e.Subtype}");
        }
    }
}
