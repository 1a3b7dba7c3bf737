-- /incident backfill: an incident opened on a channel that already had one without the bot. The incident row is
-- an ordinary one (channel_id set from the start); this row is the backfill job's own state: where it reads from,
-- the one progress message it keeps updating (progress_ts, set once, so a retried job edits it instead of posting
-- another), and finished_at, set once the whole history, its threads and pins are in the timeline.
create table backfills (
    incident_id   bigint primary key references incidents (id),
    channel_id    text not null,
    requested_by  text not null,
    -- Slack ts of the earliest moment read (exclusive), or null for the channel's whole history.
    oldest_ts     text,
    progress_ts   text,
    messages      integer not null default 0,
    threads       integer not null default 0,
    pins          integer not null default 0,
    error         text,
    requested_at  timestamptz not null,
    finished_at   timestamptz
);
