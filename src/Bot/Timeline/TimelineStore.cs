using Bot.Database;
using Bot.Slack.Events;
using Dapper;

namespace Bot.Timeline;

/// <summary>The capture path: each Slack event is ONE statement that records its event_id in
/// slack_events_processed and applies its effect, both only when the channel is an incident channel
/// and the event is new. No Slack calls, no Hangfire: this runs for every message in every incident.</summary>
public sealed class TimelineStore(Db db, TimeProvider time)
{
    // Shared head of every capture statement: the incident of the channel, and the event's first sighting.
    // An event in another channel matches no incident, so it is neither recorded nor applied.
    private const string Head = """
        with inc as (select id from incidents where channel_id = @Channel),
        ev as (insert into slack_events_processed (event_id) select @EventId from inc
               on conflict do nothing returning event_id)
        """;

    public async Task MessagePosted(string eventId, string channel, MessageCapture.Posted m, CancellationToken ct)
    {
        var files = m.Files.Where(f => f.Id is not null).ToList();
        await Execute($$"""
            {{Head}},
            entry as (insert into timeline_entries (incident_id, kind, slack_ts, thread_ts, user_id, text, occurred_at)
                      select inc.id, 'message', @Ts, @ThreadTs, @User, @Text, @At from inc, ev
                      on conflict do nothing returning incident_id)
            insert into timeline_files (incident_id, slack_ts, file_id, name, title, mimetype, is_image, permalink, url_private)
            select inc.id, @Ts, f.id, f.name, f.title, f.mimetype, f.is_image, f.permalink, f.url_private
            from inc, ev, unnest(@FileIds, @FileNames, @FileTitles, @FileTypes, @FileIsImage, @FilePermalinks, @FileUrls)
                 as f(id, name, title, mimetype, is_image, permalink, url_private)
            on conflict do nothing
            """, new
        {
            EventId = eventId, Channel = channel, m.Ts, m.ThreadTs, m.User, m.Text, At = At(m.Ts),
            FileIds = files.Select(f => f.Id!).ToArray(),
            FileNames = files.Select(f => f.Name).ToArray(),
            FileTitles = files.Select(f => f.Title).ToArray(),
            FileTypes = files.Select(f => f.Mimetype).ToArray(),
            FileIsImage = files.Select(f => f.IsImage).ToArray(),
            FilePermalinks = files.Select(f => f.Permalink).ToArray(),
            FileUrls = files.Select(f => f.UrlPrivate).ToArray(),
        }, ct);
    }

    /// <summary>An edit changes the text and marks it edited only when the text really differs (Slack also sends
    /// message_changed for unfurls). A change of a message never seen is stored as the message.</summary>
    public Task MessageChanged(string eventId, string channel, MessageCapture.Changed m, CancellationToken ct) =>
        Execute($$"""
            {{Head}}
            insert into timeline_entries (incident_id, kind, slack_ts, thread_ts, user_id, text, occurred_at, edited, edited_at)
            select inc.id, 'message', @Ts, @ThreadTs, @User, @Text, @At, @WasEdited, case when @WasEdited then @EditedAt end
            from inc, ev
            on conflict (incident_id, slack_ts) where kind = 'message' do update
               set text = excluded.text, edited = true, edited_at = coalesce(excluded.edited_at, @Now)
               where timeline_entries.text is distinct from excluded.text
            """, new
        {
            EventId = eventId, Channel = channel, m.Ts, m.ThreadTs, m.User, m.Text, At = At(m.Ts), m.WasEdited,
            EditedAt = SlackTs.TryToInstant(m.EditedTs, out var e) ? e : time.GetUtcNow(), Now = time.GetUtcNow(),
        }, ct);

    /// <summary>Deleted messages leave the document but keep their record (deleted_at). A delete that arrives
    /// before its message leaves a deleted row, so the late message cannot bring it back.</summary>
    public Task MessageDeleted(string eventId, string channel, MessageCapture.Deleted m, CancellationToken ct) =>
        Execute($$"""
            {{Head}}
            insert into timeline_entries (incident_id, kind, slack_ts, thread_ts, user_id, text, occurred_at, deleted_at)
            select inc.id, 'message', @Ts, @ThreadTs, @User, @Text, @At, @Now from inc, ev
            on conflict (incident_id, slack_ts) where kind = 'message' do update
               set deleted_at = coalesce(timeline_entries.deleted_at, excluded.deleted_at)
            """, new { EventId = eventId, Channel = channel, m.Ts, m.ThreadTs, m.User, m.Text, At = At(m.Ts), Now = time.GetUtcNow() }, ct);

    public Task ReactionAdded(string eventId, string channel, string ts, string emoji, string user, string section, CancellationToken ct) =>
        Execute($$"""
            {{Head}}
            insert into timeline_reactions (incident_id, slack_ts, emoji, user_id, section, reacted_at)
            select inc.id, @Ts, @Emoji, @User, @Section, @Now from inc, ev
            on conflict do nothing
            """, new { EventId = eventId, Channel = channel, Ts = ts, Emoji = emoji, User = user, Section = section, Now = time.GetUtcNow() }, ct);

    public Task ReactionRemoved(string eventId, string channel, string ts, string emoji, string user, CancellationToken ct) =>
        Execute($$"""
            {{Head}}
            delete from timeline_reactions r using inc, ev
            where r.incident_id = inc.id and r.slack_ts = @Ts and r.emoji = @Emoji and r.user_id = @User
            """, new { EventId = eventId, Channel = channel, Ts = ts, Emoji = emoji, User = user }, ct);

    /// <summary>A pin marks a highlight; links in the pinned message become war-room links.</summary>
    public Task Pinned(string eventId, string channel, string ts, string? user, IReadOnlyList<(string Url, string? Label)> links, CancellationToken ct) =>
        Execute($$"""
            {{Head}},
            pin as (insert into timeline_pins (incident_id, slack_ts, pinned_by, pinned_at)
                    select inc.id, @Ts, @User, @Now from inc, ev
                    on conflict (incident_id, slack_ts) do update set pinned_by = excluded.pinned_by, pinned_at = excluded.pinned_at
                    returning incident_id)
            insert into incident_links (incident_id, label, url, source, slack_ts, added_by, added_at)
            select inc.id, l.label, l.url, 'pin', @Ts, @User, @Now from inc, ev, unnest(@Urls, @Labels) as l(url, label)
            on conflict (incident_id, url) do nothing
            """, new
        {
            EventId = eventId, Channel = channel, Ts = ts, User = user, Now = time.GetUtcNow(),
            Urls = links.Select(l => l.Url).ToArray(), Labels = links.Select(l => l.Label).ToArray(),
        }, ct);

    public Task Unpinned(string eventId, string channel, string ts, CancellationToken ct) =>
        Execute($$"""
            {{Head}},
            pin as (delete from timeline_pins p using inc, ev where p.incident_id = inc.id and p.slack_ts = @Ts returning p.incident_id)
            delete from incident_links l using inc, ev where l.incident_id = inc.id and l.source = 'pin' and l.slack_ts = @Ts
            """, new { EventId = eventId, Channel = channel, Ts = ts }, ct);

    /// <summary>Joins and leaves (kind joined / left), and who is in the channel now: the newest change per person
    /// wins, so a leave delivered before its earlier join still leaves the person out.</summary>
    public Task Membership(string eventId, string channel, string kind, string user, string? eventTs, CancellationToken ct) =>
        Execute($$"""
            {{Head}},
            entry as (insert into timeline_entries (incident_id, kind, slack_ts, user_id, occurred_at)
                      select inc.id, @Kind, @Ts, @User, @At from inc, ev returning incident_id)
            insert into incident_members (incident_id, user_id, is_member, changed_at)
            select inc.id, @User, @Kind = '{{EntryKinds.Joined}}', @At from inc, ev
            on conflict (incident_id, user_id) do update set is_member = excluded.is_member, changed_at = excluded.changed_at
               where incident_members.changed_at < excluded.changed_at
            """, new { EventId = eventId, Channel = channel, Kind = kind, User = user, Ts = eventTs, At = SlackTs.ToInstantOr(eventTs, time.GetUtcNow()) }, ct);

    private DateTimeOffset At(string ts) => SlackTs.ToInstantOr(ts, time.GetUtcNow());

    private async Task Execute(string sql, object args, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        // The ack waits for this commit, so it does not wait for the WAL flush as well: the commit is visible at
        // once and survives a crash of the bot; only a crash of the PostgreSQL server itself in the next ~0.6 s
        // (3 x wal_writer_delay) could undo it. (Npgsql sends BEGIN with the statement: two round trips in all.)
        await using var tx = await conn.BeginTransactionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition("set local synchronous_commit = off;\n" + sql, args, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
    }
}
