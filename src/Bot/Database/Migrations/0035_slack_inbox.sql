-- After-ack work (block actions, shortcuts, view_closed, events handled after the ack) is written here before
-- Slack gets its ack, and deleted once its handlers ran: a row is work Slack was promised and that has not
-- finished. owner is the process that runs it; a process renews its lease in slack_inbox_owners, and the rows
-- of a process whose lease ran out (a crash) are claimed by another (docs/reliability.md, "Nothing acked is lost").
create table slack_inbox (
    id            bigint generated always as identity primary key,
    kind          smallint not null,      -- 1 event (the event_callback envelope), 2 interaction (the payload)
    transport     smallint not null,      -- 0 HTTP, 1 Socket Mode
    partition_key text,                   -- the channel: its work keeps its order
    body          text not null,          -- the JSON as Slack sent it, parsed again on replay
    owner         uuid not null,
    attempts      integer not null default 1,
    received_at   timestamptz not null default now()
);
create index slack_inbox_owner on slack_inbox (owner);

create table slack_inbox_owners (
    owner       uuid primary key,
    alive_until timestamptz not null
);
