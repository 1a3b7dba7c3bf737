using System.Text.Json;
using Bot.Database;
using Dapper;

namespace Bot.Timeline;

/// <summary>Messages from other channels added with the "Add to incident" shortcut (kind detail), and the
/// drafts that wait while the user picks an incident.</summary>
public sealed class DetailStore(Db db, TimeProvider time)
{
    public sealed record Detail(string ChannelId, string MessageTs, string? AuthorId, string? Text, string? Permalink, string AddedBy);

    /// <summary>False when that message was already added to that incident.</summary>
    public async Task<bool> Add(long incidentId, Detail d, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var n = await conn.ExecuteAsync(new CommandDefinition("""
            insert into timeline_entries (incident_id, kind, slack_ts, user_id, text, occurred_at, source_channel_id, permalink, data)
            values (@incidentId, 'detail', @MessageTs, @AuthorId, @Text, @At, @ChannelId, @Permalink, @Data::jsonb)
            on conflict do nothing
            """, new
        {
            incidentId, d.MessageTs, d.AuthorId, d.Text, At = SlackTs.ToInstantOr(d.MessageTs, time.GetUtcNow()), d.ChannelId, d.Permalink,
            Data = JsonSerializer.Serialize(new { added_by = d.AddedBy }),
        }, cancellationToken: ct));
        return n > 0;
    }

    public async Task SaveDraft(Guid id, string teamId, Detail d, string? responseUrl, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition("""
            insert into shortcut_drafts (id, team_id, user_id, channel_id, message_ts, author_id, text, permalink, response_url, created_at)
            values (@id, @teamId, @AddedBy, @ChannelId, @MessageTs, @AuthorId, @Text, @Permalink, @responseUrl, @now)
            """, new { id, teamId, d.AddedBy, d.ChannelId, d.MessageTs, d.AuthorId, d.Text, d.Permalink, responseUrl, now = time.GetUtcNow() },
            cancellationToken: ct));
    }

    public async Task<(Detail Detail, string TeamId, string? ResponseUrl)?> TakeDraft(Guid id, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var row = await conn.QuerySingleOrDefaultAsync<Draft>(new CommandDefinition(
            "delete from shortcut_drafts where id = @id returning *", new { id }, cancellationToken: ct));
        return row is null ? null : (new Detail(row.ChannelId, row.MessageTs, row.AuthorId, row.Text, row.Permalink, row.UserId), row.TeamId, row.ResponseUrl);
    }

    private sealed class Draft
    {
        public Guid Id { get; set; }
        public string TeamId { get; set; } = "";
        public string UserId { get; set; } = "";
        public string ChannelId { get; set; } = "";
        public string MessageTs { get; set; } = "";
        public string? AuthorId { get; set; }
        public string? Text { get; set; }
        public string? Permalink { get; set; }
        public string? ResponseUrl { get; set; }
        public DateTime CreatedAt { get; set; }
    }
}
