using System.Globalization;
using Bot.Database;
using Bot.People;
using Dapper;
using Hangfire;
using Microsoft.Extensions.Options;

namespace Bot.ActionItems.Chasing;

/// <summary>The recurring chase run (every minute, declared once under the startup lock): for each owner of open
/// items due soon or overdue whose chase time has come today in their own zone, the (owner, local date) row is
/// inserted and the owner's DM job enqueued in the same transaction. The row's primary key makes that happen once
/// per owner and day, whatever runs twice: a restart, a second instance, Hangfire's at-least-once.</summary>
[AutomaticRetry(Attempts = 0)] // the next minute's run is the retry
public sealed class ChaseRunJob(Db db, UserDirectory people, IOptions<ActionItemOptions> options, TimeProvider time, ILogger<ChaseRunJob> logger)
{
    public const string RecurringId = "action-items-chase";

    /// <summary>Returns how many owners' DMs it planned.</summary>
    public async Task<int> Run(CancellationToken ct)
    {
        var rule = ChaseRule.From(options.Value);
        var now = time.GetUtcNow();
        var horizon = now.AddDays(options.Value.DueSoonDays);
        List<Owner> owners;
        HashSet<(string, string)> planned;
        await using (var conn = await db.OpenConnectionAsync(ct))
        {
            owners = (await conn.QueryAsync<Owner>(new CommandDefinition("""
                select o.owner_id, u.tz, u.user_id is not null as known
                from (select distinct owner_id from action_items
                      where status = 'open' and owner_id is not null and due_at <= @horizon
                        and (snoozed_until is null or snoozed_until <= @now)) o
                left join slack_users u on u.user_id = o.owner_id
                """, new { now, horizon }, cancellationToken: ct))).AsList();
            if (owners.Count == 0) return 0;
            var ids = owners.Select(o => o.OwnerId).ToArray();
            planned = (await conn.QueryAsync<(string, string)>(new CommandDefinition("""
                select owner_id, to_char(local_date, 'YYYY-MM-DD') from action_item_chases
                where owner_id = any(@ids) and local_date >= cast(@since as date)
                """, new { ids, since = now.AddDays(-2).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) }, cancellationToken: ct))).ToHashSet();
        }

        // An owner whose zone is not known yet is looked up (a few per run) rather than chased at a guessed hour.
        var unknown = owners.Where(o => !o.Known).Select(o => o.OwnerId).ToList();
        var fetched = unknown.Count == 0 ? new Dictionary<string, Person>() : await people.People(unknown, ct);
        var count = 0;
        foreach (var owner in owners)
        {
            string? tz;
            if (owner.Known) tz = owner.Tz;
            else if (fetched.TryGetValue(owner.OwnerId, out var person)) tz = person.Tz;
            else continue;
            if (rule.DateToChase(now, Bot.Postmortems.Scheduling.TimeZones.Find(tz)) is not { } date) continue;
            var day = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            if (planned.Contains((owner.OwnerId, day))) continue;
            var ownerId = owner.OwnerId;
            var inserted = await db.InTransaction(async (conn, jobs) =>
            {
                var row = await conn.ExecuteScalarAsync<int?>(new CommandDefinition("""
                    insert into action_item_chases (owner_id, local_date, planned_at) values (@ownerId, cast(@day as date), @now)
                    on conflict (owner_id, local_date) do nothing returning 1
                    """, new { ownerId, day, now }, cancellationToken: ct));
                if (row is null) return false;
                jobs.Enqueue<ChaseOwnerJob>(j => j.Run(ownerId, day, CancellationToken.None));
                return true;
            }, ct);
            if (inserted) count++;
        }
        if (count > 0) logger.LogInformation("Chase run planned {Count} DMs", count);
        return count;
    }

    private sealed class Owner
    {
        public string OwnerId { get; set; } = "";
        public string? Tz { get; set; }
        public bool Known { get; set; }
    }
}
