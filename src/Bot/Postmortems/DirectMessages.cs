using System.Collections.Concurrent;
using Bot.Database;
using Bot.Slack.Blocks;
using Bot.Slack.WebApi;
using Dapper;

namespace Bot.Postmortems;

/// <summary>DMs from the bot. The DM channel id is remembered (memory, then slack_dm_channels) so that
/// conversations.open, a Tier 3 method, is called once per person rather than once per message.</summary>
public sealed class DirectMessages(ISlackApi slack, Db db, DmChannelCache cache, TimeProvider time)
{
    public async Task<PostedMessage> Send(string userId, string text, IReadOnlyList<Block>? blocks, CancellationToken ct)
    {
        var channel = await Channel(userId, ct);
        try
        {
            // Keyed, so that when Slack delivers the DM but its answer is lost (a 5xx or a timeout), the client's retry
            // finds it in the DM (im:history) instead of sending it twice. The key lives for this one call: a job run again
            // by Hangfire has its own "sent" marker.
            return await slack.Chat.PostMessage(new OutgoingMessage
            {
                Channel = channel, Text = text, Blocks = blocks, IdempotencyKey = $"dm-{Guid.NewGuid():N}",
            }, ct);
        }
        catch (SlackApiException e) when (e.Error is "channel_not_found" or "is_archived")
        {
            // A remembered DM that no longer works: forget it, so the retry opens a fresh one.
            await Forget(userId);
            throw;
        }
    }

    public async Task<UploadedFile> Upload(string userId, string filename, byte[] content, string title, CancellationToken ct, string? comment = null)
    {
        var channel = await Channel(userId, ct);
        return await slack.Files.Upload(filename, content, title, channel, comment, ct: ct);
    }

    public async Task<string> Channel(string userId, CancellationToken ct)
    {
        if (cache.TryGet(userId, out var known)) return known;
        await using var conn = await db.OpenConnectionAsync(ct);
        var stored = await conn.ExecuteScalarAsync<string?>(new CommandDefinition(
            "select channel_id from slack_dm_channels where user_id = @userId", new { userId }, cancellationToken: ct));
        if (stored is null)
        {
            stored = await slack.Conversations.Open([userId], ct);
            await conn.ExecuteAsync(new CommandDefinition("""
                insert into slack_dm_channels (user_id, channel_id, opened_at) values (@userId, @stored, @now)
                on conflict (user_id) do update set channel_id = excluded.channel_id, opened_at = excluded.opened_at
                """, new { userId, stored, now = time.GetUtcNow() }, cancellationToken: ct));
        }
        cache.Set(userId, stored);
        return stored;
    }

    private async Task Forget(string userId)
    {
        cache.Remove(userId);
        await using var conn = await db.OpenConnectionAsync();
        await conn.ExecuteAsync("delete from slack_dm_channels where user_id = @userId", new { userId });
    }
}

/// <summary>Process-wide memory of DM channel ids (a singleton in front of slack_dm_channels).</summary>
public sealed class DmChannelCache
{
    private readonly ConcurrentDictionary<string, string> _channels = new(StringComparer.Ordinal);

    public bool TryGet(string userId, out string channel) => _channels.TryGetValue(userId, out channel!);
    public void Set(string userId, string channel) => _channels[userId] = channel;
    public void Remove(string userId) => _channels.TryRemove(userId, out _);
}
