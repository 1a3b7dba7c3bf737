using Bot.Access;
using Bot.Database;
using Bot.Documents;
using Bot.Incidents;
using Bot.People;
using Bot.Timeline;
using Dapper;
using Npgsql;

namespace Bot.ActionItems;

/// <summary>What a change asked of an item came to.</summary>
public abstract record ChangeOutcome
{
    public sealed record Changed(ActionItem Before, ActionItem After, bool AllSettled) : ChangeOutcome;
    /// <summary>The same change from the same version again (a second click): nothing done.</summary>
    public sealed record Repeated(ActionItem Item) : ChangeOutcome;
    /// <summary>The item changed since the message the click came from.</summary>
    public sealed record Stale(ActionItem Item) : ChangeOutcome;
    public sealed record NotAllowed(ActionItem Item) : ChangeOutcome;
    public sealed record Unchanged(ActionItem Item) : ChangeOutcome;
    public sealed record NotFound : ChangeOutcome;
}

/// <summary>The action_items table: items created by command or copied in from :memo:-marked messages, the lists,
/// the one way every person's change is made (<see cref="Change"/>), and the document's view of them.</summary>
public sealed class ActionItemStore(Db db, TimelineReader timeline, UserDirectory people, AccessPolicy access, TimeProvider time, Home.HomeRefresh homes)
{
    // The columns every reader wants, with the incident and its point person.
    private const string Select = """
        select a.id, a.incident_id, a.text, a.owner_id, to_char(a.due_on, 'YYYY-MM-DD') as due_on, a.due_at, a.link, a.status,
               a.drop_reason, a.snoozed_until, a.version, a.last_action, a.last_action_from, a.slack_ts, a.permalink,
               a.created_by, a.updated_by, a.updated_at, a.chase_count, a.issue_url,
               i.number as incident_number, i.title as incident_title, i.channel_id,
               coalesce(p.point_person_id, i.commander_id) as point_person_id
        from action_items a join incidents i on i.id = a.incident_id left join postmortems p on p.incident_id = a.incident_id
        """;

    public async Task<ActionItem> Create(long incidentId, string text, string? ownerId, DueDate? due, string? link, string createdBy, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var id = await conn.ExecuteScalarAsync<long>(new CommandDefinition("""
            insert into action_items (incident_id, text, owner_id, due_on, due_at, link, created_by, created_at, updated_by, updated_at)
            values (@incidentId, @text, @ownerId, cast(@dueOn as date), @dueAt, @link, @createdBy, @now, @createdBy, @now)
            returning id
            """, new { incidentId, text, ownerId, dueOn = due?.DayText, dueAt = due?.EndsAt.UtcDateTime, link, createdBy, now = time.GetUtcNow() },
            cancellationToken: ct));
        if (ownerId is not null) await homes.Request([ownerId], ct);
        return (await Get(id, ct))!;
    }

    public async Task<ActionItem?> Get(long id, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<ActionItem>(new CommandDefinition(Select + " where a.id = @id", new { id }, cancellationToken: ct));
    }

    /// <summary>The incident's items, oldest first, with :memo:-marked messages copied in first.</summary>
    public async Task<IReadOnlyList<ActionItem>> ForIncident(long incidentId, CancellationToken ct)
    {
        await SyncMarked(incidentId, await timeline.Entries(incidentId, includeDeleted: false, ct), ct);
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<ActionItem>(new CommandDefinition(Select + " where a.incident_id = @incidentId order by a.id",
            new { incidentId }, cancellationToken: ct));
        return rows.AsList();
    }

    /// <summary>The open items <paramref name="ownerId"/> owns, across incidents, soonest due first.</summary>
    public async Task<IReadOnlyList<ActionItem>> OpenFor(string ownerId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<ActionItem>(new CommandDefinition(Select + """
             where a.owner_id = @ownerId and a.status = 'open' order by a.due_at nulls last, a.id
            """, new { ownerId }, cancellationToken: ct));
        return rows.AsList();
    }

    /// <summary>What <paramref name="ownerId"/>'s chase lists: open, due by <paramref name="horizon"/> (or overdue), not snoozed.</summary>
    public async Task<IReadOnlyList<ActionItem>> Chaseable(string ownerId, DateTimeOffset now, DateTimeOffset horizon, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<ActionItem>(new CommandDefinition(Select + """
             where a.owner_id = @ownerId and a.status = 'open' and a.due_at <= @horizon
               and (a.snoozed_until is null or a.snoozed_until <= @now)
             order by a.due_at, a.id
            """, new { ownerId, now, horizon }, cancellationToken: ct));
        return rows.AsList();
    }

    /// <summary>Copies messages marked :memo: into the list, once per message (they have no owner yet); an item whose
    /// message lost its mark (or was deleted) goes again while nobody has touched it.</summary>
    public async Task SyncMarked(long incidentId, IReadOnlyList<TimelineRow> rows, CancellationToken ct)
    {
        var marked = rows.Where(r => r.SlackTs is not null && r.Kind == EntryKinds.Message && r.Sections.Contains(Sections.ActionItems)).ToList();
        await using var conn = await db.OpenConnectionAsync(ct);
        var known = (await conn.QueryAsync<string>(new CommandDefinition(
            "select slack_ts from action_items where incident_id = @incidentId and slack_ts is not null",
            new { incidentId }, cancellationToken: ct))).ToHashSet(StringComparer.Ordinal);
        foreach (var r in marked.Where(r => !known.Contains(r.SlackTs!)))
        {
            var at = DateTime.SpecifyKind(r.OccurredAt, DateTimeKind.Utc);
            await conn.ExecuteAsync(new CommandDefinition("""
                insert into action_items (incident_id, text, slack_ts, permalink, created_by, created_at, updated_at)
                values (@incidentId, @text, @slackTs, @permalink, @userId, @at, @at)
                on conflict (incident_id, slack_ts) where slack_ts is not null do nothing
                """, new { incidentId, text = Truncate(r.Text ?? ""), slackTs = r.SlackTs, permalink = r.Permalink, userId = r.UserId, at },
                cancellationToken: ct));
        }
        var stillMarked = marked.Select(r => r.SlackTs!).ToArray();
        if (known.Except(stillMarked).Any())
            await conn.ExecuteAsync(new CommandDefinition("""
                delete from action_items
                where incident_id = @incidentId and slack_ts is not null and slack_ts <> all(@stillMarked)
                  and version = 1 and owner_id is null and issue_url is null
                """, new { incidentId, stillMarked }, cancellationToken: ct));
    }

    private static string Truncate(string text) => text.Length <= ActionCommandParser.MaxText ? text : text[..ActionCommandParser.MaxText] + "…";

    /// <summary>The one way a person changes an item: only its owner, the point person or an admin may; a click carrying an
    /// outdated <paramref name="version"/> changes nothing (a repeat of the same change is told apart from a change
    /// made since). When the change settles the incident's last open item, the all-settled notice is enqueued in
    /// the same transaction, once.</summary>
    /// <param name="apply">The new state, or null when nothing would change.</param>
    public Task<ChangeOutcome> Change(long id, int? version, string action, string by, Func<ActionItem, ActionItem?> apply, CancellationToken ct) =>
        db.InTransaction<ChangeOutcome>(async (conn, jobs) =>
        {
            var incidentId = await conn.ExecuteScalarAsync<long?>(new CommandDefinition(
                "select incident_id from action_items where id = @id", new { id }, cancellationToken: ct));
            if (incidentId is null) return new ChangeOutcome.NotFound();
            // Changes of one incident's items take turns, so "the last open item was settled" is seen by exactly one.
            await conn.ExecuteAsync(new CommandDefinition(
                "select id from action_items where incident_id = @incidentId order by id for update", new { incidentId }, cancellationToken: ct));
            var item = await conn.QuerySingleAsync<ActionItem>(new CommandDefinition(Select + " where a.id = @id", new { id }, cancellationToken: ct));
            if (Refusal(item, version, action, by) is { } refused) return refused;
            if (apply(item.Copy()) is not { } after) return new ChangeOutcome.Unchanged(item);

            var now = time.GetUtcNow();
            var reassigned = after.OwnerId != item.OwnerId || after.DueOn != item.DueOn;
            after.Version = await conn.ExecuteScalarAsync<int>(new CommandDefinition("""
                update action_items set text = @Text, owner_id = @OwnerId, due_on = cast(@DueOn as date), due_at = @DueAt, link = @Link,
                       status = @Status, drop_reason = @DropReason, snoozed_until = @SnoozedUntil,
                       version = version + 1, last_action = @action, last_action_from = version, updated_by = @by, updated_at = @now,
                       settled_at = case when @Status in ('done', 'dropped') then coalesce(settled_at, @now) end,
                       chase_count = case when @reassigned then 0 else chase_count end,
                       escalated_at = case when @reassigned then null else escalated_at end
                where id = @Id
                returning version
                """, new
            {
                after.Id, after.Text, after.OwnerId, after.DueOn, DueAt = Utc(after.DueAt), after.Link, after.Status, after.DropReason,
                SnoozedUntil = Utc(after.SnoozedUntil), action, by, now, reassigned,
            }, cancellationToken: ct));
            after.LastAction = action;
            after.LastActionFrom = item.Version;
            after.UpdatedBy = by;
            // The owners' Home tabs list their open items: the old owner's and the new one's change.
            await Home.HomeRefresh.Request(conn, jobs, [item.OwnerId, after.OwnerId], now, ct);

            // The new owner hears at once, not at their next chase (nobody is told of their own pick).
            if (after.OwnerId is { } newOwner && newOwner != item.OwnerId && newOwner != by)
            {
                var (itemId, newVersion) = (after.Id, after.Version);
                jobs.Enqueue<Chasing.ReassignedJob>(j => j.Run(itemId, newVersion, newOwner, by, CancellationToken.None));
            }

            var allSettled = false;
            if (after.IsSettled && !item.IsSettled)
            {
                var open = await conn.ExecuteScalarAsync<long>(new CommandDefinition(
                    "select count(*) from action_items where incident_id = @incidentId and status = 'open'", new { incidentId }, cancellationToken: ct));
                allSettled = open == 0 && await conn.ExecuteScalarAsync<int?>(new CommandDefinition("""
                    insert into action_item_settled (incident_id, settled_at) values (@incidentId, @now)
                    on conflict (incident_id) do nothing returning 1
                    """, new { incidentId, now }, cancellationToken: ct)) is not null;
                if (allSettled)
                    jobs.Enqueue<Chasing.AllSettledJob>(j => j.Run(incidentId.Value, CancellationToken.None));
            }
            return new ChangeOutcome.Changed(item, after, allSettled);
        }, ct);

    /// <summary>Why a change from <paramref name="version"/> may not happen: a repeat of the change that made the current
    /// version says so first (it changes nothing and reveals nothing), then who may change it, then whether it is current.</summary>
    public ChangeOutcome? Refusal(ActionItem item, int? version, string action, string by)
    {
        if (version is { } v && item.Version == v + 1 && item.LastAction == action && item.LastActionFrom == v) return new ChangeOutcome.Repeated(item);
        if (!MayChange(item, by)) return new ChangeOutcome.NotAllowed(item);
        return version is { } w && item.Version != w ? new ChangeOutcome.Stale(item) : null;
    }

    /// <summary>The owner, the point person, or an admin (Bot:Access:Admins).</summary>
    public bool MayChange(ActionItem item, string user) => item.MayChange(user) || access.IsAdmin(user);

    private static DateTime? Utc(DateTime? t) => t is { } v ? DateTime.SpecifyKind(v, DateTimeKind.Utc) : null;

    /// <summary>The document's action items: text with mentions as real names, the owner's real name, the due day as
    /// it was given, and the status (open, done, dropped, snoozed). <paramref name="rows"/> is the capture the
    /// document is built from (its :memo:-marked messages are copied in first).</summary>
    public async Task<IReadOnlyList<DocumentActionItem>> ForDocument(long incidentId, IReadOnlyList<TimelineRow> rows, CancellationToken ct)
    {
        await SyncMarked(incidentId, rows, ct);
        IReadOnlyList<ActionItem> items;
        await using (var conn = await db.OpenConnectionAsync(ct))
            items = (await conn.QueryAsync<ActionItem>(new CommandDefinition(Select + " where a.incident_id = @incidentId order by a.id",
                new { incidentId }, cancellationToken: ct))).AsList();
        var ids = items.SelectMany(i => new[] { i.OwnerId, i.CreatedBy }).OfType<string>().Concat(items.SelectMany(i => Mentions.UserIds(i.Text)));
        var names = await people.People(ids, ct);
        var groups = await people.GroupHandles(items.SelectMany(i => Mentions.GroupIds(i.Text)), ct);
        string? Name(string id) => names.TryGetValue(id, out var p) ? (string.IsNullOrWhiteSpace(p.RealName) ? p.Name : p.RealName) : null;
        var now = time.GetUtcNow();
        return items.Select(i => new DocumentActionItem(
            DocumentText.Plain(i.Text, Name, id => groups.GetValueOrDefault(id), _ => null),
            i.OwnerId, i.OwnerId is null ? null : Name(i.OwnerId) ?? i.OwnerId, i.DueOn, i.ShownStatus(now),
            i.IssueUrl ?? i.Link ?? i.Permalink) { RaisedBy = i.CreatedBy is null ? null : Name(i.CreatedBy) ?? i.CreatedBy }).ToList();
    }

    /// <summary>When the incident's last item was settled, while every item is done or dropped; null while one is open
    /// (an item added after a settlement makes it null again) or there are none.</summary>
    public async Task<DateTimeOffset?> AllSettledAt(long incidentId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var at = await conn.ExecuteScalarAsync<DateTime?>(new CommandDefinition("""
            select max(settled_at) from action_items where incident_id = @incidentId
            having bool_and(status in ('done', 'dropped'))
            """, new { incidentId }, cancellationToken: ct));
        return at is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)) : null;
    }

    /// <summary>Slack text as plain text: mentions as names, other &lt;...&gt; sequences as what Slack shows, entities decoded.</summary>
    public static string Plain(string text, Func<string, string?> userName, Func<string, string?> groupHandle) =>
        CommandText.ToPlain(Mentions.ToNames(text, userName, groupHandle));
}
