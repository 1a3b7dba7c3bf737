using System.Text.Json;
using Bot.Database;
using Bot.Slack.Events;
using Dapper;
using NpgsqlTypes;

namespace Bot.Timeline;

/// <summary>The capture path: each Slack event is ONE statement that records its event_id in
/// slack_events_processed and applies its effect, both only when the channel is an incident channel
/// and the event is new. No Slack calls, no Hangfire: this runs for every message in every incident.</summary>
public sealed class TimelineStore(Db db, CaptureBatcher batcher, IncidentChannels channels, TimeProvider time)
{
    // Shared head of every capture statement: the incident of the channel, and the event's first sighting.
    // An event in another channel matches no incident, so it is neither recorded nor applied.
    private const string Head = """
        with inc as (select id from incidents where channel_id = @Channel),
        ev as (insert into slack_events_processed (event_id) select @EventId from inc
               on conflict do nothing returning event_id)
        """;

    // Every message event merges into the message's one row, so the result is the same in any order: the text of
    // the newest version wins (text_at; equal times: the greater text, so even that tie does not depend on order),
    // a delete is final (no later-arriving change revives it), and ids and thread learnt from any event are kept.
    private const string Newer = "(excluded.text_at, coalesce(excluded.text, '')) > (coalesce(t.text_at, '-infinity'), coalesce(t.text, ''))";

    private const string MergeMessage = $$"""
        on conflict (incident_id, slack_ts) where kind = 'message' do update set
           thread_ts = coalesce(t.thread_ts, excluded.thread_ts),
           user_id = coalesce(t.user_id, excluded.user_id),
           text = case when {{Newer}} then excluded.text else t.text end,
           edited = case when {{Newer}} then excluded.edited else t.edited end,
           edited_at = case when {{Newer}} then excluded.edited_at else t.edited_at end,
           text_at = case when {{Newer}} then excluded.text_at else t.text_at end,
           deleted_at = least(t.deleted_at, excluded.deleted_at)
        """;

    public Task MessagePosted(string eventId, string channel, MessageCapture.Posted m, CancellationToken ct) =>
        MessageAsOf(eventId, channel, m, editedTs: null, ct);

    /// <summary>A message as the Web API shows it now (conversations.history / replies, for a backfill): its text is
    /// the version of its edited.ts when Slack stamped one, so it merges with the live events of the same message
    /// exactly as an edit would: whichever version is newer wins, in either order.</summary>
    public Task MessageRead(string eventId, string channel, MessageCapture.Posted m, string? editedTs, CancellationToken ct) =>
        MessageAsOf(eventId, channel, m, editedTs, ct);

    private Task MessageAsOf(string eventId, string channel, MessageCapture.Posted m, string? editedTs, CancellationToken ct)
    {
        var files = m.Files.Count == 0 ? NoFiles : m.Files.Where(f => f.Id is not null).ToArray();
        var edit = SlackTs.TryToInstant(editedTs, out var editedAt) ? editedAt : (DateTimeOffset?)null;
        var write = new CaptureWrite(eventId, channel, PostedSql);
        // Without files a message is the row alone: it can share the batch's one statement for messages.
        if (files.Length == 0) write.InBulk(MessagesSql, m.Ts).Add("DeletedAt", null, Instant);
        return Capture(write
            .Add("Ts", m.Ts, Text).Add("ThreadTs", m.ThreadTs, Text).Add("User", m.User, Text).Add("Text", m.Text, Text)
            .Add("At", At(m.Ts), Instant).Add("Version", edit ?? At(m.Ts), Instant)
            .Add("Edited", edit is not null, NpgsqlDbType.Boolean).Add("EditedAt", edit, Instant)
            .Add("FileIds", Column(files, f => f.Id), TextArray)
            .Add("FileNames", Column(files, f => f.Name), TextArray)
            .Add("FileTitles", Column(files, f => f.Title), TextArray)
            .Add("FileTypes", Column(files, f => f.Mimetype), TextArray)
            .Add("FileIsImage", files.Length == 0 ? NoFlags : Array.ConvertAll(files, f => f.IsImage), NpgsqlDbType.Array | NpgsqlDbType.Boolean)
            .Add("FilePermalinks", Column(files, f => f.Permalink), TextArray)
            .Add("FileUrls", Column(files, f => f.UrlPrivate), TextArray), ct);
    }

    // Most messages have no files: the empty arrays are shared rather than made per event.
    private static readonly SlackFile[] NoFiles = [];
    private static readonly string?[] NoText = [];
    private static readonly bool[] NoFlags = [];

    private static string?[] Column(SlackFile[] files, Func<SlackFile, string?> pick) =>
        files.Length == 0 ? NoText : Array.ConvertAll(files, f => pick(f));

    private const string PostedSql = $$"""
        {{Head}},
        entry as (insert into timeline_entries as t (incident_id, kind, slack_ts, thread_ts, user_id, text, text_at, occurred_at, edited, edited_at)
                  select inc.id, 'message', @Ts, @ThreadTs, @User, @Text, @Version, @At, @Edited, @EditedAt from inc, ev
                  {{MergeMessage}}
                  returning incident_id)
        insert into timeline_files (incident_id, slack_ts, file_id, name, title, mimetype, is_image, permalink, url_private)
        select inc.id, @Ts, f.id, f.name, f.title, f.mimetype, f.is_image, f.permalink, f.url_private
        from inc, ev, unnest(@FileIds, @FileNames, @FileTitles, @FileTypes, @FileIsImage, @FilePermalinks, @FileUrls)
             as f(id, name, title, mimetype, is_image, permalink, url_private)
        on conflict do nothing
        """;

    /// <summary>An edit is the version of its edited.ts; a change that is not an edit (Slack also sends
    /// message_changed for unfurls) is the version of its event_ts and does not mark the message edited. An older
    /// version than the stored one changes nothing. A change of a message never seen is stored as the message.</summary>
    public Task MessageChanged(string eventId, string channel, MessageCapture.Changed m, CancellationToken ct)
    {
        var edit = m.WasEdited && SlackTs.TryToInstant(m.EditedTs, out var editedAt) ? editedAt : (DateTimeOffset?)null;
        var version = edit ?? (SlackTs.TryToInstant(m.EventTs, out var changedAt) ? changedAt : At(m.Ts));
        return Capture(new CaptureWrite(eventId, channel, ChangedSql).InBulk(MessagesSql, m.Ts).Add("DeletedAt", null, Instant)
            .Add("Ts", m.Ts, Text).Add("ThreadTs", m.ThreadTs, Text).Add("User", m.User, Text).Add("Text", m.Text, Text)
            .Add("At", At(m.Ts), Instant).Add("Version", version, Instant)
            .Add("Edited", edit is not null, NpgsqlDbType.Boolean).Add("EditedAt", edit, Instant), ct);
    }

    private const string ChangedSql = $$"""
        {{Head}}
        insert into timeline_entries as t (incident_id, kind, slack_ts, thread_ts, user_id, text, text_at, occurred_at, edited, edited_at)
        select inc.id, 'message', @Ts, @ThreadTs, @User, @Text, @Version, @At, @Edited, @EditedAt from inc, ev
        {{MergeMessage}}
        """;

    /// <summary>Deleted messages leave the document but keep their record (deleted_at: the delete's event time).
    /// A delete is final: the message or a change arriving after it cannot bring the message back. Its last text
    /// (previous_message) counts as one more version.</summary>
    public Task MessageDeleted(string eventId, string channel, MessageCapture.Deleted m, CancellationToken ct)
    {
        var edit = SlackTs.TryToInstant(m.TextEditedTs, out var editedAt) ? editedAt : (DateTimeOffset?)null;
        return Capture(new CaptureWrite(eventId, channel, DeletedSql).InBulk(MessagesSql, m.Ts)
            .Add("Ts", m.Ts, Text).Add("ThreadTs", m.ThreadTs, Text).Add("User", m.User, Text).Add("Text", m.Text, Text)
            .Add("At", At(m.Ts), Instant).Add("Version", edit ?? At(m.Ts), Instant)
            .Add("Edited", edit is not null, NpgsqlDbType.Boolean).Add("EditedAt", edit, Instant).Add("DeletedAt", At(m.EventTs), Instant), ct);
    }

    private const string DeletedSql = $$"""
        {{Head}}
        insert into timeline_entries as t (incident_id, kind, slack_ts, thread_ts, user_id, text, text_at, occurred_at, edited, edited_at, deleted_at)
        select inc.id, 'message', @Ts, @ThreadTs, @User, @Text, @Version, @At, @Edited, @EditedAt, @DeletedAt from inc, ev
        {{MergeMessage}}
        """;

    /// <summary>The messages, edits and deletes of one batch (CaptureBatcher), each a row of the arrays: for every
    /// row what PostedSql (without files), ChangedSql or DeletedSql does for one, in one statement. Rows of
    /// channels that are no incident's are dropped by the join, as the single statements drop them; an event id
    /// already recorded writes nothing. The batcher never puts two rows of the same message in it.</summary>
    private const string MessagesSql = $$"""
        with r as (select * from unnest(@EventId, @Channel, @Ts, @ThreadTs, @User, @Text, @Version, @At, @Edited, @EditedAt, @DeletedAt)
                   as r(event_id, channel, ts, thread_ts, user_id, text, text_at, occurred_at, edited, edited_at, deleted_at)),
        inc as (select r.*, i.id as incident_id from r join incidents i on i.channel_id = r.channel),
        ev as (insert into slack_events_processed (event_id) select event_id from inc
               on conflict do nothing returning event_id)
        insert into timeline_entries as t (incident_id, kind, slack_ts, thread_ts, user_id, text, text_at, occurred_at, edited, edited_at, deleted_at)
        select inc.incident_id, 'message', inc.ts, inc.thread_ts, inc.user_id, inc.text, inc.text_at, inc.occurred_at, inc.edited, inc.edited_at, inc.deleted_at
        from inc join ev on ev.event_id = inc.event_id
        {{MergeMessage}}
        """;

    /// <summary>The latest add by event time (re-reacting after a removal marks again); a removal with a later
    /// event time wins over it however late the add arrives.</summary>
    public Task ReactionAdded(string eventId, string channel, string ts, string emoji, string user, string section, string? eventTs, CancellationToken ct) =>
        Capture(Reaction(eventId, channel, ReactionAddedSql, ts, emoji, user, section, eventTs), ct);

    private const string ReactionAddedSql = $$"""
        {{Head}}
        insert into timeline_reaction_marks as r (incident_id, slack_ts, emoji, user_id, section, reacted_at)
        select inc.id, @Ts, @Emoji, @User, @Section, @At from inc, ev
        on conflict (incident_id, slack_ts, emoji, user_id) do update set reacted_at = greatest(r.reacted_at, excluded.reacted_at)
        """;

    /// <summary>A removal is a tombstone (removed_at), not a delete, so an add that Slack sent before it and
    /// delivers after it cannot mark the message again.</summary>
    public Task ReactionRemoved(string eventId, string channel, string ts, string emoji, string user, string section, string? eventTs, CancellationToken ct) =>
        Capture(Reaction(eventId, channel, ReactionRemovedSql, ts, emoji, user, section, eventTs), ct);

    private const string ReactionRemovedSql = $$"""
        {{Head}}
        insert into timeline_reaction_marks as r (incident_id, slack_ts, emoji, user_id, section, removed_at)
        select inc.id, @Ts, @Emoji, @User, @Section, @At from inc, ev
        on conflict (incident_id, slack_ts, emoji, user_id) do update set removed_at = greatest(r.removed_at, excluded.removed_at)
        """;

    private CaptureWrite Reaction(string eventId, string channel, string sql, string ts, string emoji, string user, string section, string? eventTs) =>
        new CaptureWrite(eventId, channel, sql)
            .Add("Ts", ts, Text).Add("Emoji", emoji, Text).Add("User", user, Text).Add("Section", section, Text).Add("At", At(eventTs), Instant);

    /// <summary>A pin marks a highlight while it is newer than the latest unpin; the newest pin's links are kept
    /// with it, and incident_links (source pin) is made to hold exactly the links of the live pins.</summary>
    public Task Pinned(string eventId, string channel, string ts, string? user, IReadOnlyList<(string Url, string? Label)> links, string? eventTs, CancellationToken ct) =>
        Execute(channel, $$"""
            {{Head}},
            pin as (insert into timeline_pin_marks as p (incident_id, slack_ts, pinned_by, pinned_at, links)
                    select inc.id, @Ts, @User, @At, @Links::jsonb from inc, ev
                    on conflict (incident_id, slack_ts) do update set
                       pinned_by = case when excluded.pinned_at >= coalesce(p.pinned_at, '-infinity') then excluded.pinned_by else p.pinned_by end,
                       links = case when excluded.pinned_at >= coalesce(p.pinned_at, '-infinity') then excluded.links else p.links end,
                       pinned_at = greatest(p.pinned_at, excluded.pinned_at)
                    returning {{PinReturning}}),
            {{SyncPinLinks}}
            """, new
        {
            EventId = eventId, Channel = channel, Ts = ts, User = user, At = At(eventTs), PinLock = PinLock(channel),
            Links = JsonSerializer.Serialize(links.Select(l => new { url = l.Url, label = l.Label })),
        }, ct, lockPins: true);

    public Task Unpinned(string eventId, string channel, string ts, string? eventTs, CancellationToken ct) =>
        Execute(channel, $$"""
            {{Head}},
            pin as (insert into timeline_pin_marks as p (incident_id, slack_ts, unpinned_at)
                    select inc.id, @Ts, @At from inc, ev
                    on conflict (incident_id, slack_ts) do update set unpinned_at = greatest(p.unpinned_at, excluded.unpinned_at)
                    returning {{PinReturning}}),
            {{SyncPinLinks}}
            """, new { EventId = eventId, Channel = channel, Ts = ts, At = At(eventTs), PinLock = PinLock(channel) }, ct, lockPins: true);

    private const string PinReturning = "p.incident_id, p.slack_ts, p.pinned_by, p.pinned_at, p.links, p.pinned_at > coalesce(p.unpinned_at, '-infinity') as live";

    // The pin-sourced war-room links are a function of the live pins: each URL once, credited to its earliest live
    // pin; links added with /incident link (source command) are left alone. Other pins are read from the snapshot,
    // which is why pin events take the incident's pin lock before this statement starts (Execute).
    private const string SyncPinLinks = """
        live_pins as (select o.slack_ts, o.pinned_by, o.pinned_at, o.links from timeline_pin_marks o, pin
                      where o.incident_id = pin.incident_id and o.slack_ts <> pin.slack_ts and o.pinned_at > coalesce(o.unpinned_at, '-infinity')
                      union all
                      select slack_ts, pinned_by, pinned_at, links from pin where pin.live),
        wanted as (select distinct on (l.url) l.url, l.label, lp.slack_ts, lp.pinned_by, lp.pinned_at
                   from live_pins lp, jsonb_to_recordset(lp.links) as l(url text, label text)
                   order by l.url, lp.pinned_at, lp.slack_ts),
        gone as (delete from incident_links x using pin
                 where x.incident_id = pin.incident_id and x.source = 'pin' and not exists (select 1 from wanted w where w.url = x.url))
        insert into incident_links as x (incident_id, label, url, source, slack_ts, added_by, added_at)
        select pin.incident_id, w.label, w.url, 'pin', w.slack_ts, w.pinned_by, w.pinned_at from pin, wanted w
        on conflict (incident_id, url) do update
           set label = excluded.label, slack_ts = excluded.slack_ts, added_by = excluded.added_by, added_at = excluded.added_at
           where x.source = 'pin'
        """;

    private static string PinLock(string channel) => "pins:" + channel;

    /// <summary>Joins and leaves (kind joined / left), and who is in the channel now: the newest change per person
    /// wins, so a leave delivered before its earlier join still leaves the person out.</summary>
    public Task Membership(string eventId, string channel, string kind, string user, string? eventTs, CancellationToken ct) =>
        Capture(new CaptureWrite(eventId, channel, MembershipSql)
            .Add("Kind", kind, Text).Add("Ts", eventTs, Text).Add("User", user, Text).Add("At", At(eventTs), Instant), ct);

    private const string MembershipSql = $$"""
        {{Head}},
        entry as (insert into timeline_entries (incident_id, kind, slack_ts, user_id, occurred_at)
                  select inc.id, @Kind, @Ts, @User, @At from inc, ev returning incident_id)
        insert into incident_members (incident_id, user_id, is_member, changed_at)
        select inc.id, @User, @Kind = '{{EntryKinds.Joined}}', @At from inc, ev
        on conflict (incident_id, user_id) do update set is_member = excluded.is_member, changed_at = excluded.changed_at
           where incident_members.changed_at < excluded.changed_at
        """;

    private DateTimeOffset At(string? ts) => SlackTs.ToInstantOr(ts, time.GetUtcNow());

    private const NpgsqlDbType Text = NpgsqlDbType.Text;
    private const NpgsqlDbType TextArray = NpgsqlDbType.Array | NpgsqlDbType.Text;
    private const NpgsqlDbType Instant = NpgsqlDbType.TimestampTz;

    /// <summary>Every capture but pins goes through group commit (<see cref="CaptureBatcher"/>): one round trip and
    /// one commit for the events that arrive together; this completes when the write's batch committed.</summary>
    /// An event from a channel that is certainly no incident's is not written at all (IncidentChannels).
    private Task Capture(CaptureWrite write, CancellationToken ct)
    {
        var wanted = channels.MayBeIncidentChannel(write.Channel, ct);
        if (!wanted.IsCompletedSuccessfully) return CaptureAfterCheck(wanted, write);
        return wanted.Result ? batcher.Submit(write.Add("EventId", write.EventId, Text).Add("Channel", write.Channel, Text)) : Task.CompletedTask;
    }

    private async Task CaptureAfterCheck(ValueTask<bool> wanted, CaptureWrite write)
    {
        if (await wanted) await batcher.Submit(write.Add("EventId", write.EventId, Text).Add("Channel", write.Channel, Text));
    }

    /// <summary>Pin events, one transaction each (they are rare): the pin lock they wait for would be held for a
    /// whole batch in group commit.</summary>
    private async Task Execute(string channel, string sql, object args, CancellationToken ct, bool lockPins = false)
    {
        if (!await channels.MayBeIncidentChannel(channel, ct)) return;
        await using var conn = await db.OpenConnectionAsync(ct);
        // The ack waits for this commit, so it does not wait for the WAL flush as well: the commit is visible at
        // once and survives a crash of the bot; only a crash of the PostgreSQL server itself in the next ~0.6 s
        // (3 x wal_writer_delay) could undo it. (Npgsql sends BEGIN with the statement: two round trips in all.)
        // Pin events first wait for the incident's pin lock (same round trip): the capture statement's snapshot is
        // then taken after the previous pin event committed, so syncing the pin links sees every live pin.
        await using var tx = await conn.BeginTransactionAsync(ct);
        var head = "set local synchronous_commit = off;\n" + (lockPins ? "select pg_advisory_xact_lock(hashtextextended(@PinLock, 0));\n" : "");
        await conn.ExecuteAsync(new CommandDefinition(head + sql, args, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
    }
}
