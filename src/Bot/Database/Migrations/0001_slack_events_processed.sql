-- Every Slack event is acted on once: handlers insert the event_id here in the same
-- transaction as their effect ("insert ... on conflict do nothing" tells a retry apart).
create table slack_events_processed (
    event_id    text primary key,
    received_at timestamptz not null default now()
);
