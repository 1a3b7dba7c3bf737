using System.Globalization;

namespace Bot.Slack.Testing;

// Seeding a channel's past: what people wrote, edited, shared, reacted and pinned before the bot was there, so
// conversations.history / replies and pins.list have something real to serve. Nothing is emitted: Slack sends a
// channel's events only to members, and these happened before (or without) the bot.
public sealed partial class FakeSlack
{
    /// <summary>A message somebody wrote at <paramref name="at"/> (a thread reply when <paramref name="threadTs"/> is
    /// given; also shown in the channel when <paramref name="broadcast"/>), kept in ts order with the rest.</summary>
    public FakeMessage AddPastMessage(string channelId, string user, string text, DateTimeOffset at, string? threadTs = null, bool broadcast = false)
    {
        lock (_gate)
        {
            var channel = FindChannel(channelId) ?? throw new ArgumentException($"No channel {channelId}", nameof(channelId));
            if (threadTs is not null && channel.MessageList.All(m => m.Ts != threadTs))
                throw new ArgumentException($"No message {threadTs} to reply to", nameof(threadTs));
            var message = new FakeMessage
            {
                Channel = channel.Id, Ts = FreeTs(channel, at), User = user, Text = text, ThreadTs = threadTs,
                ReplyBroadcast = broadcast, Subtype = broadcast ? "thread_broadcast" : null,
            };
            InsertInOrder(channel, message);
            return message;
        }
    }

    /// <summary>The author edits the message at <paramref name="at"/>: its text changes and it carries edited.ts.</summary>
    public void EditPastMessage(string channelId, string ts, string text, DateTimeOffset at)
    {
        lock (_gate)
        {
            var message = SeededMessage(channelId, ts);
            message.Text = text;
            message.EditedTs = TsOf(at);
        }
    }

    /// <summary>Someone reacted to the message (once per person and emoji, as at Slack).</summary>
    public void AddPastReaction(string channelId, string ts, string name, string user)
    {
        lock (_gate)
        {
            var message = SeededMessage(channelId, ts);
            var users = message.Reactions.TryGetValue(name, out var list) ? list : message.Reactions[name] = [];
            if (!users.Contains(user)) users.Add(user);
        }
    }

    /// <summary>Someone pinned the message at <paramref name="at"/>.</summary>
    public void AddPastPin(string channelId, string ts, string user, DateTimeOffset at)
    {
        lock (_gate)
        {
            var channel = FindChannel(channelId) ?? throw new ArgumentException($"No channel {channelId}", nameof(channelId));
            SeededMessage(channelId, ts);
            if (channel.PinList.Any(p => p.MessageTs == ts)) throw new ArgumentException($"{ts} is pinned already", nameof(ts));
            channel.PinList.Add(new FakePin(ts, at.ToUnixTimeSeconds(), user));
        }
    }

    /// <summary>A file the author shared with the message (a file_share message carries it in files[]).</summary>
    public FakeFile AddPastFile(string channelId, string ts, string name, string mimetype, string? title = null)
    {
        lock (_gate)
        {
            var message = SeededMessage(channelId, ts);
            var file = new FakeFile { Id = NewId("F"), Name = name, Length = 1, Mimetype = mimetype, Completed = true, Owner = message.User };
            file.Title = title ?? name;
            file.Channels.Add(message.Channel);
            _files[file.Id] = file;
            message.FileIds.Add(file.Id);
            return file;
        }
    }

    private FakeMessage SeededMessage(string channelId, string ts) =>
        (FindChannel(channelId) ?? throw new ArgumentException($"No channel {channelId}", nameof(channelId)))
        .MessageList.FirstOrDefault(m => m.Ts == ts) ?? throw new ArgumentException($"No message {ts} in {channelId}", nameof(ts));

    private static string TsOf(DateTimeOffset at)
    {
        var micros = (at.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;
        return (micros / 1_000_000).ToString(CultureInfo.InvariantCulture) + "." + (micros % 1_000_000).ToString("D6", CultureInfo.InvariantCulture);
    }

    /// <summary>Slack's ts is unique in a channel: a second message in the same microsecond goes one later.</summary>
    private static string FreeTs(FakeChannel channel, DateTimeOffset at)
    {
        var ts = TsOf(at);
        while (channel.MessageList.Any(m => m.Ts == ts))
        {
            at = at.AddTicks(10);
            ts = TsOf(at);
        }
        return ts;
    }

    private static void InsertInOrder(FakeChannel channel, FakeMessage message)
    {
        var value = decimal.Parse(message.Ts, CultureInfo.InvariantCulture);
        var index = channel.MessageList.FindIndex(m => decimal.Parse(m.Ts, CultureInfo.InvariantCulture) > value);
        if (index < 0) channel.MessageList.Add(message);
        else channel.MessageList.Insert(index, message);
    }
}
