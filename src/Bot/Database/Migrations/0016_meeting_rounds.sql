-- Invites and cancellations are told per person, not only per meeting version: a person uninvited and
-- invited again within one version is told each time, once. round numbers what one person was sent
-- (1, 2, ...); 0 for the per-version markers (reminders, nudges, posts) and rows written before this.
alter table postmortem_sends add column round integer not null default 0;
alter table postmortem_sends drop constraint postmortem_sends_pkey;
alter table postmortem_sends add primary key (incident_id, version, kind, recipient, round);

-- The version at which the meeting was last set afresh (not moved): invitations older than it were to a meeting
-- that was cancelled or is over, so their holders are invited anew, never told "moved" or "no longer invited".
alter table postmortem_meetings add column scheduled_version integer;
update postmortem_meetings set scheduled_version = 1 where starts_at is not null;
