-- Capture in any order. Slack delivers concurrently and retries minutes late, so each capture statement
-- merges what its event says into one row per Slack identity, comparing Slack's own timestamps rather than
-- trusting arrival order (docs/incidents-and-timeline.md, "Capture").

-- Messages: text_at is when the stored text was written in Slack (the message's ts, an edit's edited.ts,
-- or a non-edit change's event_ts). Only a newer version replaces the text.
alter table timeline_entries add column text_at timestamptz;
update timeline_entries set text_at = coalesce(edited_at, occurred_at) where kind = 'message';

-- Reactions and pins keep their removals as tombstones: one row per person, emoji and message (per message
-- for pins) with the latest add and the latest removal, both Slack event times. The mark holds while the
-- add is the later one, so a removal that arrives before its add is not undone by it, and a later add
-- (the person reacted again) marks again.
-- Marks stored before this migration keep their capture time as the add's time (their event_ts was not kept).
alter table timeline_reactions rename to timeline_reaction_marks;
alter table timeline_reaction_marks alter column reacted_at drop not null;
alter table timeline_reaction_marks add column removed_at timestamptz;

alter table timeline_pins rename to timeline_pin_marks;
alter table timeline_pin_marks alter column pinned_at drop not null;
alter table timeline_pin_marks add column unpinned_at timestamptz;
-- The links of the newest pin ([{"url": …, "label": …}]): incident_links holds those of the live pins.
alter table timeline_pin_marks add column links jsonb not null default '[]';
update timeline_pin_marks p set links = coalesce((
    select jsonb_agg(jsonb_build_object('url', l.url, 'label', l.label) order by l.id) from incident_links l
    where l.incident_id = p.incident_id and l.source = 'pin' and l.slack_ts = p.slack_ts), '[]');

-- Readers see only what is marked now, under the names they always used.
create view timeline_reactions as
    select incident_id, slack_ts, emoji, user_id, section, reacted_at from timeline_reaction_marks
    where reacted_at > coalesce(removed_at, '-infinity');

create view timeline_pins as
    select incident_id, slack_ts, pinned_by, pinned_at from timeline_pin_marks
    where pinned_at > coalesce(unpinned_at, '-infinity');
