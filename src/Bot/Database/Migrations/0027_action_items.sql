-- Action items of a post-mortem: typed with /postmortem action, or copied in once from a message marked :memo:
-- (slack_ts set). version grows on every change a person makes; every button carries the version it showed, so
-- a click on an outdated message says so instead of acting. last_action/last_action_from tell a repeated click
-- ("already done") from a click on something changed since.
create table action_items (
    id               bigint generated always as identity primary key,
    incident_id      bigint not null references incidents (id),
    text             text not null,
    owner_id         text,
    -- The day as it was given (shown everywhere), and the instant it ends in the setter's time zone (compared).
    due_on           date,
    due_at           timestamptz,
    link             text,
    status           text not null default 'open' check (status in ('open', 'done', 'dropped')),
    drop_reason      text,
    snoozed_until    timestamptz,
    version          integer not null default 1,
    last_action      text,
    last_action_from integer,
    slack_ts         text,
    permalink        text,
    created_by       text,
    created_at       timestamptz not null,
    updated_by       text,
    updated_at       timestamptz not null,
    settled_at       timestamptz,
    -- Chases sent while the item was overdue; the point person is told once it reaches EscalateAfter.
    chase_count      integer not null default 0,
    escalated_at     timestamptz,
    issue_url        text,
    issue_claimed_at timestamptz
);

create unique index action_items_message on action_items (incident_id, slack_ts) where slack_ts is not null;
create index action_items_incident on action_items (incident_id, id);
create index action_items_open_owner on action_items (owner_id, due_at) where status = 'open';

-- One chase DM per owner and local date. The run inserts the row (and enqueues the owner's job in the same
-- transaction); the job takes claimed_at as a short lease before posting and sets sent_at after, so a restart,
-- a second instance or a retry never sends a second DM that day.
create table action_item_chases (
    owner_id   text not null,
    local_date date not null,
    planned_at timestamptz not null,
    claimed_at timestamptz,
    sent_at    timestamptz,
    channel_id text,
    message_ts text,
    item_ids   bigint[] not null default '{}',
    primary key (owner_id, local_date)
);

-- A post-mortem whose items are all done or dropped: the point person and the channel are told once.
create table action_item_settled (
    incident_id bigint primary key references incidents (id),
    settled_at  timestamptz not null
);
