using Bot.Database;
using Bot.Slack.WebApi;
using Dapper;

namespace Bot.People;

public sealed record Person(string UserId, string? DisplayName, string? RealName, string? Tz, string? Title)
{
    /// <summary>What Slack shows: the display name, else the real name, else the id.</summary>
    public string Name => !string.IsNullOrWhiteSpace(DisplayName) ? DisplayName! : !string.IsNullOrWhiteSpace(RealName) ? RealName! : UserId;
}

/// <summary>Names for the ids kept in stored text. Read from the cache tables; ids not cached yet are fetched
/// (users.info, usergroups.list) when something is rendered — never on the capture path.</summary>
public sealed class UserDirectory(Db db, ISlackApi slack, TimeProvider time, ILogger<UserDirectory> logger)
{
    // Rendering must stay quick: a page shows few people, and the rest are fetched on later renders.
    private const int MaxFetchPerCall = 25;
    private static readonly TimeSpan MaxAge = TimeSpan.FromDays(1);

    public Task<IReadOnlyDictionary<string, Person>> People(IEnumerable<string> userIds, CancellationToken ct) =>
        People(userIds, MaxFetchPerCall, ct);

    /// <summary>As <see cref="People(IEnumerable{string}, CancellationToken)"/>, fetching at most
    /// <paramref name="maxFetch"/> uncached users (a job that renders a whole document passes int.MaxValue). A stale
    /// cached person not refetched (over the cap, or users.info failed) is still returned: an old title beats an id.</summary>
    public async Task<IReadOnlyDictionary<string, Person>> People(IEnumerable<string> userIds, int maxFetch, CancellationToken ct)
    {
        var ids = userIds.Where(id => !string.IsNullOrEmpty(id)).Distinct().ToArray();
        var result = new Dictionary<string, Person>();
        var stale = new Dictionary<string, Person>();
        if (ids.Length == 0) return result;

        await using (var conn = await db.OpenConnectionAsync(ct))
        {
            var cached = await conn.QueryAsync<CachedUser>(new CommandDefinition(
                "select user_id, display_name, real_name, tz, title, fetched_at from slack_users where user_id = any(@ids)",
                new { ids }, cancellationToken: ct));
            foreach (var u in cached)
            {
                var person = new Person(u.UserId, u.DisplayName, u.RealName, u.Tz, u.Title);
                if (time.GetUtcNow() - new DateTimeOffset(DateTime.SpecifyKind(u.FetchedAt, DateTimeKind.Utc)) < MaxAge)
                    result[u.UserId] = person;
                else
                    stale[u.UserId] = person;
            }
        }

        foreach (var id in ids.Where(id => !result.ContainsKey(id)).Take(maxFetch))
        {
            try
            {
                var user = await slack.Users.Info(id, ct);
                var person = new Person(id, user.Profile?.DisplayName, user.Profile?.RealName ?? user.RealName, user.Tz, user.Profile?.Title);
                await Save(person, user.TeamId, user.IsBot, ct);
                result[id] = person;
            }
            catch (SlackApiException e)
            {
                logger.LogInformation("users.info {User} failed: {Error}", id, e.Error);
            }
        }
        foreach (var (id, person) in stale) result.TryAdd(id, person);
        return result;
    }

    public async Task<IReadOnlyDictionary<string, string>> GroupHandles(IEnumerable<string> groupIds, CancellationToken ct)
    {
        var ids = groupIds.Distinct().ToArray();
        if (ids.Length == 0) return new Dictionary<string, string>();
        await using var conn = await db.OpenConnectionAsync(ct);
        var known = (await conn.QueryAsync<(string Id, string Handle)>(new CommandDefinition(
            "select usergroup_id, coalesce(handle, name, usergroup_id) from slack_usergroups where usergroup_id = any(@ids)",
            new { ids }, cancellationToken: ct))).ToDictionary(r => r.Id, r => r.Handle);
        if (ids.All(known.ContainsKey)) return known;
        try
        {
            var now = time.GetUtcNow();
            foreach (var g in await slack.Usergroups.List(includeUsers: false, ct))
            {
                await conn.ExecuteAsync(new CommandDefinition("""
                    insert into slack_usergroups (usergroup_id, handle, name, fetched_at) values (@Id, @Handle, @Name, @now)
                    on conflict (usergroup_id) do update set handle = excluded.handle, name = excluded.name, fetched_at = excluded.fetched_at
                    """, new { g.Id, g.Handle, g.Name, now }, cancellationToken: ct));
                known[g.Id] = g.Handle ?? g.Name ?? g.Id;
            }
        }
        catch (SlackApiException e)
        {
            logger.LogInformation("usergroups.list failed: {Error}", e.Error);
        }
        return known;
    }

    private async Task Save(Person p, string? teamId, bool isBot, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition("""
            insert into slack_users (user_id, team_id, display_name, real_name, tz, title, is_bot, fetched_at)
            values (@UserId, @teamId, @DisplayName, @RealName, @Tz, @Title, @isBot, @now)
            on conflict (user_id) do update set team_id = excluded.team_id, display_name = excluded.display_name,
                real_name = excluded.real_name, tz = excluded.tz, title = excluded.title, is_bot = excluded.is_bot,
                fetched_at = excluded.fetched_at
            """, new { p.UserId, teamId, p.DisplayName, p.RealName, p.Tz, p.Title, isBot, now = time.GetUtcNow() }, cancellationToken: ct));
    }

    private sealed class CachedUser
    {
        public string UserId { get; set; } = "";
        public string? DisplayName { get; set; }
        public string? RealName { get; set; }
        public string? Tz { get; set; }
        public string? Title { get; set; }
        public DateTime FetchedAt { get; set; }
    }
}
