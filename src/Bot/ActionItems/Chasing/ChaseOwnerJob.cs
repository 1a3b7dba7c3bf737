using Bot.Database;
using Bot.Operations;
using Bot.People;
using Bot.Postmortems;
using Bot.Postmortems.Scheduling;
using Bot.Slack.Blocks;
using Bot.Slack.WebApi;
using Dapper;
using Hangfire;
using Microsoft.Extensions.Options;

namespace Bot.ActionItems.Chasing;

/// <summary>One owner's chase DM for one local date: every open item of theirs due soon or overdue, each with Done,
/// Snooze, Won't do and Reassign. The (owner, date) row is leased before posting and marked sent after, so a retry
/// after a Slack failure posts once; overdue items count a chase, and reaching EscalateAfter enqueues the point
/// person's notice (once per item) in the same transaction as the mark.</summary>
[AutomaticRetry(Attempts = 5, DelaysInSeconds = [10, 60, 300, 900, 1800])]
public sealed class ChaseOwnerJob(Db db, ActionItemStore store, DirectMessages dms, UserDirectory people, IOptions<ActionItemOptions> options,
    TimeProvider time, ILogger<ChaseOwnerJob> logger, BotMetrics metrics)
{
    // A claim older than this belongs to a worker that died mid-post; a retry may take it over.
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);
    private const int MaxListed = 45;

    public async Task Run(string ownerId, string localDate, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (!await Claim(ownerId, localDate, now, ct)) return;
        var o = options.Value;
        IReadOnlyList<ActionItem> items;
        PostedMessage posted;
        try
        {
            items = await store.Chaseable(ownerId, now, now.AddDays(o.DueSoonDays), ct);
            if (items.Count == 0)
            {
                // Settled or snoozed since the run: nothing to say today.
                await MarkSent(ownerId, localDate, null, [], now, ct);
                return;
            }
            var zone = TimeZones.Find((await people.People([ownerId], ct)).GetValueOrDefault(ownerId)?.Tz);
            var (text, blocks) = Message(items, now, zone, o.GitHub.Enabled);
            posted = await dms.Send(ownerId, text, blocks, ct);
            if (ChaseRule.From(o).DueAt(DateOnly.ParseExact(localDate, "yyyy-MM-dd"), zone) is { } due) metrics.ChaseLate(time.GetUtcNow() - due);
        }
        catch
        {
            // Nothing was posted: give the day back, so Hangfire's retry can post.
            await Release(ownerId, localDate);
            throw;
        }
        var overdue = items.Take(MaxListed).Where(i => i.IsOverdue(now)).Select(i => i.Id).ToArray();
        await MarkSent(ownerId, localDate, posted, items.Take(MaxListed).Select(i => i.Id).ToArray(), now, ct, overdue, o.EscalateAfter);
        logger.LogInformation("Chased {Owner} for {Date}: {Count} items", ownerId, localDate, items.Count);
    }

    public static (string Text, List<Block> Blocks) Message(IReadOnlyList<ActionItem> items, DateTimeOffset now, TimeZoneInfo zone, bool createIssue)
    {
        var overdue = items.Count(i => i.IsOverdue(now));
        var text = $":memo: {items.Count} action item{(items.Count == 1 ? " of yours is" : "s of yours are")} due soon" +
                   (overdue == 0 ? "." : $" or overdue ({overdue} overdue).");
        var blocks = new List<Block> { Block.Section(text) };
        foreach (var item in items.Take(MaxListed))
        {
            blocks.Add(Block.Section(ActionItemBlocks.Line(item, now, zone, withIncident: true)));
            blocks.Add(ActionItemBlocks.ChaseActions(item, createIssue));
        }
        if (items.Count > MaxListed) blocks.Add(Block.Context($"…and {items.Count - MaxListed} more: `/postmortem actions mine` lists them all."));
        blocks.Add(Block.Context("Done, or not worth doing any more? The buttons settle it. Otherwise I ask again on the next working day."));
        return (text, blocks);
    }

    private async Task<bool> Claim(string ownerId, string localDate, DateTimeOffset now, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.ExecuteScalarAsync<int?>(new CommandDefinition("""
            update action_item_chases set claimed_at = @now
            where owner_id = @ownerId and local_date = cast(@localDate as date) and sent_at is null
              and (claimed_at is null or claimed_at < @stale)
            returning 1
            """, new { ownerId, localDate, now, stale = now - Lease }, cancellationToken: ct)) is not null;
    }

    private async Task Release(string ownerId, string localDate)
    {
        await using var conn = await db.OpenConnectionAsync();
        await conn.ExecuteAsync("""
            update action_item_chases set claimed_at = null
            where owner_id = @ownerId and local_date = cast(@localDate as date) and sent_at is null
            """, new { ownerId, localDate });
    }

    private Task MarkSent(string ownerId, string localDate, PostedMessage? posted, long[] itemIds, DateTimeOffset now, CancellationToken ct,
        long[]? overdue = null, int escalateAfter = 0) =>
        db.InTransaction(async (conn, jobs) =>
        {
            var marked = await conn.ExecuteScalarAsync<int?>(new CommandDefinition("""
                update action_item_chases set sent_at = @now, channel_id = @channel, message_ts = @ts, item_ids = @itemIds
                where owner_id = @ownerId and local_date = cast(@localDate as date) and sent_at is null
                returning 1
                """, new { ownerId, localDate, now, channel = posted?.Channel, ts = posted?.Ts, itemIds }, cancellationToken: ct));
            if (marked is null || overdue is not { Length: > 0 }) return;
            await conn.ExecuteAsync(new CommandDefinition(
                "update action_items set chase_count = chase_count + 1 where id = any(@overdue) and status = 'open'",
                new { overdue }, cancellationToken: ct));
            var escalate = await conn.QueryAsync<long>(new CommandDefinition("""
                update action_items set escalated_at = @now
                where id = any(@overdue) and status = 'open' and chase_count >= @escalateAfter and escalated_at is null
                returning id
                """, new { overdue, now, escalateAfter }, cancellationToken: ct));
            foreach (var id in escalate)
                jobs.Enqueue<EscalationJob>(j => j.Run(id, CancellationToken.None));
        }, ct);
}
