-- /incident stats: the chart is drawn and uploaded into the caller's DM by a job, once per request. The job claims
-- the row (a lease, so a crashed run is retried) and marks it sent, so a job Hangfire runs twice uploads once.
-- until_at is the instant the figures were computed for, so the chart shows the same window as the message.
create table stats_requests (
    id           uuid primary key,
    team_id      text not null,
    user_id      text not null,
    days         integer not null,
    until_at     timestamptz not null,
    claimed_at   timestamptz,
    sent_at      timestamptz,
    file_id      text
);
