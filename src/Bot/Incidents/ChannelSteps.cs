using Bot.Database;
using Dapper;

namespace Bot.Incidents;

/// <summary>The job's progress markers on the incident row. Each is set once
/// (<c>update ... where marker is null returning</c>), so a retried job skips what is done.</summary>
public sealed class ChannelSteps(Db db, TimeProvider time)
{
    public const string ReporterInvited = "reporter_invited_at";
    public const string TopicSet = "topic_set_at";
    public const string KickoffPinned = "kickoff_pinned_at";
    public const string OriginAnnounced = "origin_announced_at";
    public const string Announced = "announced_at";
    public const string ReporterTold = "reporter_told_at";

    private static readonly HashSet<string> Markers = [ReporterInvited, TopicSet, KickoffPinned, OriginAnnounced, Announced, ReporterTold];

    public async Task<bool> Mark(long incidentId, string marker, CancellationToken ct)
    {
        if (!Markers.Contains(marker)) throw new ArgumentOutOfRangeException(nameof(marker), marker, "not a step marker");
        await using var conn = await db.OpenConnectionAsync(ct);
        var id = await conn.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(
            $"update incidents set {marker} = @now where id = @incidentId and {marker} is null returning id",
            new { incidentId, now = time.GetUtcNow() }, cancellationToken: ct));
        return id is not null;
    }

    /// <summary>Records the created channel; false when the incident already had one.</summary>
    public async Task<bool> SetChannel(long incidentId, string channelId, string name, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var id = await conn.QuerySingleOrDefaultAsync<long?>(new CommandDefinition("""
            update incidents set channel_id = @channelId, channel_created_name = @name
            where id = @incidentId and channel_id is null returning id
            """, new { incidentId, channelId, name }, cancellationToken: ct));
        return id is not null;
    }

    public async Task<bool> SetKickoff(long incidentId, string ts, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var id = await conn.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(
            "update incidents set kickoff_ts = @ts where id = @incidentId and kickoff_ts is null returning id",
            new { incidentId, ts }, cancellationToken: ct));
        return id is not null;
    }

    /// <summary>Notes a name about to be asked of conversations.create (see EarlierChannel).</summary>
    public async Task RecordNameTried(long incidentId, string name, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition("""
            update incidents set channel_names_tried = array_append(channel_names_tried, @name)
            where id = @incidentId and not (@name = any(channel_names_tried))
            """, new { incidentId, name }, cancellationToken: ct));
    }
}
