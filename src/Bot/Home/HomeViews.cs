using Bot.Database;
using Dapper;

namespace Bot.Home;

/// <summary>The home_views rows: who opened Home, their pending refresh and the notice it carries.</summary>
public sealed class HomeViews(Db db, TimeProvider time)
{
    /// <summary>Remembered on every app_home_opened (the first makes the person one whose Home is kept fresh).</summary>
    public async Task<string?> Opened(string teamId, string userId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.ExecuteScalarAsync<string?>(new CommandDefinition("""
            insert into home_views (team_id, user_id, opened_at) values (@teamId, @userId, @now)
            on conflict (team_id, user_id) do update set opened_at = excluded.opened_at
            returning notice
            """, new { teamId, userId, now = time.GetUtcNow() }, cancellationToken: ct));
    }

    /// <summary>Takes the pending refresh (changes from now on plan a new one); null when the person never opened Home.</summary>
    public async Task<Pending?> Take(string teamId, string userId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<Pending>(new CommandDefinition("""
            update home_views set refresh_pending_since = null where team_id = @teamId and user_id = @userId
            returning notice
            """, new { teamId, userId }, cancellationToken: ct));
    }

    public sealed record Pending(string? Notice);

    /// <summary>After a publish: the notice it showed is cleared (a newer one stays for the next publish).</summary>
    public async Task Published(string teamId, string userId, string? notice, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition("""
            update home_views set published_at = @now, notice = case when notice is not distinct from @notice then null else notice end
            where team_id = @teamId and user_id = @userId
            """, new { teamId, userId, notice, now = time.GetUtcNow() }, cancellationToken: ct));
    }
}
