-- The draft timeline. Capture handlers write here in one short statement per event (with the
-- event id in slack_events_processed), so rows are keyed by Slack's own identities
-- (incident + message ts), which also makes out-of-order and duplicate deliveries harmless.
create table timeline_entries (
    id                bigint generated always as identity primary key,
    incident_id       bigint not null references incidents (id),
    -- message | detail | note | status | severity | commander | role | link | joined | left | opened
    kind              text not null,
    -- The message's ts (its identity in Slack); for other kinds the event's ts when there is one.
    slack_ts          text,
    thread_ts         text,
    user_id           text,
    text              text,
    occurred_at       timestamptz not null,
    edited            boolean not null default false,
    edited_at         timestamptz,
    deleted_at        timestamptz,
    -- detail: where the message came from.
    source_channel_id text,
    permalink         text,
    -- kind-specific values (old/new status, role name, link url ...).
    data              jsonb,
    recorded_at       timestamptz not null default now()
);

create unique index timeline_entries_message on timeline_entries (incident_id, slack_ts) where kind = 'message';
create unique index timeline_entries_detail on timeline_entries (incident_id, source_channel_id, slack_ts) where kind = 'detail';
create index timeline_entries_order on timeline_entries (incident_id, occurred_at, id);

-- Files shared in messages: images are the document's screenshots, the others are listed.
create table timeline_files (
    incident_id bigint not null references incidents (id),
    slack_ts    text not null,
    file_id     text not null,
    name        text,
    title       text,
    mimetype    text,
    is_image    boolean not null,
    permalink   text,
    url_private text,
    primary key (incident_id, slack_ts, file_id)
);

-- One row per person and emoji: a section stays marked while at least one reaction is left,
-- and several people reacting count once.
create table timeline_reactions (
    incident_id bigint not null references incidents (id),
    slack_ts    text not null,
    emoji       text not null,
    user_id     text not null,
    section     text not null,
    reacted_at  timestamptz not null,
    primary key (incident_id, slack_ts, emoji, user_id)
);

-- Pinned messages are the highlights.
create table timeline_pins (
    incident_id bigint not null references incidents (id),
    slack_ts    text not null,
    pinned_by   text,
    pinned_at   timestamptz not null,
    primary key (incident_id, slack_ts)
);

-- "Add to incident" used while several incidents are open: the message waits here while a modal asks
-- which incident (private_metadata carries only this row's id; a message can be longer than it allows).
create table shortcut_drafts (
    id                uuid primary key,
    team_id           text not null,
    user_id           text not null,
    channel_id        text not null,
    message_ts        text not null,
    author_id         text,
    text              text,
    permalink         text,
    response_url      text,
    created_at        timestamptz not null
);
