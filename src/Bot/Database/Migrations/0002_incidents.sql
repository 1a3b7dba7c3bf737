-- Incidents, numbered per Slack workspace. The channel is created after the ack by
-- OpenIncidentChannelJob; each of its Slack steps sets a marker column here once
-- (update ... where marker is null returning), so a retried job never repeats a step.
create table incident_counters (
    team_id     text primary key,
    last_number integer not null
);

create table incidents (
    id                   bigint generated always as identity primary key,
    team_id              text not null,
    number               integer not null,
    title                text not null,
    description          text,
    severity             text check (severity in ('sev1', 'sev2', 'sev3', 'sev4')),
    status               text not null default 'investigating',
    commander_id         text not null,
    reporter_id          text not null,
    origin_channel_id    text,
    response_url         text,
    channel_name         text not null,
    is_private           boolean not null default false,
    created_at           timestamptz not null,
    resolved_at          timestamptz,
    -- Set by the job, step by step.
    channel_id           text unique,
    channel_created_name text,
    reporter_invited_at  timestamptz,
    topic_set_at         timestamptz,
    kickoff_ts           text,
    kickoff_pinned_at    timestamptz,
    origin_announced_at  timestamptz,
    announced_at         timestamptz,
    reporter_told_at     timestamptz,
    unique (team_id, number)
);

create index incidents_open on incidents (team_id) where resolved_at is null;

-- Roles other than commander (the commander lives on the incident row).
create table incident_roles (
    incident_id bigint not null references incidents (id),
    role        text not null,
    user_id     text not null,
    assigned_by text,
    assigned_at timestamptz not null,
    primary key (incident_id, role)
);

-- War-room links: from /incident link, and from links in pinned messages.
create table incident_links (
    id          bigint generated always as identity primary key,
    incident_id bigint not null references incidents (id),
    label       text,
    url         text not null,
    source      text not null,
    slack_ts    text,
    added_by    text,
    added_at    timestamptz not null,
    unique (incident_id, url)
);
