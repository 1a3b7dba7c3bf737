-- The post-mortem of a resolved incident: its draft (a snapshot of the marked timeline, as JSON),
-- the DM to the point person (marker set once), and the slot the bot proposed.
create table postmortems (
    incident_id         bigint primary key references incidents (id),
    resolved_at         timestamptz not null,
    summary             text,
    point_person_id     text not null,
    draft               jsonb,
    drafted_at          timestamptz,
    proposed_start      timestamptz,
    prep_dm_claimed_at  timestamptz,
    prep_dm_sent_at     timestamptz,
    prep_dm_channel     text,
    prep_dm_ts          text
);

-- One meeting per post-mortem. version grows on every schedule, move and cancel: it is the .ics
-- SEQUENCE, and every job carries the version it was planned for, so a job planned for an
-- earlier version sees a different one and sends nothing.
create table postmortem_meetings (
    incident_id      bigint primary key references incidents (id),
    uid              text not null unique,
    version          integer not null default 0,
    starts_at        timestamptz,
    duration_minutes integer,
    cancelled_at     timestamptz,
    moderator_id     text,
    notetaker_id     text,
    scheduled_by     text,
    updated_at       timestamptz not null,
    -- Hangfire job ids of the current version's reminders, deleted when the meeting moves.
    job_ids          text[] not null default '{}'
);

-- Invited people. optional: suggested past the cap; listed, but sent nothing until invited.
create table postmortem_attendees (
    incident_id bigint not null references incidents (id),
    user_id     text not null,
    optional    boolean not null default false,
    reason      text,
    added_at    timestamptz not null,
    primary key (incident_id, user_id)
);

-- "Sent" markers for every DM and post a meeting job makes: one row per (meeting version, kind,
-- recipient). A job claims a row (claimed_at, a short lease) before posting and sets sent_at after;
-- a failed post deletes the claim so the retry can post; a sent row is never posted again.
create table postmortem_sends (
    incident_id bigint not null references incidents (id),
    version     integer not null,
    kind        text not null,
    recipient   text not null,
    claimed_at  timestamptz not null,
    sent_at     timestamptz,
    primary key (incident_id, version, kind, recipient)
);
