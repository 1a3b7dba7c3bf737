-- Who is in each incident's channel, so a private incident is shown only to them (the Home tab, the "Add to
-- incident" picker). Written when the incident is opened (the reporter, whom the job invites) and from
-- member_joined_channel / member_left_channel. Slack delivers those out of order: the newest change per person
-- wins (changed_at is the event's own time), so any order of deliveries settles on the same answer.
create table incident_members (
    incident_id bigint not null references incidents (id),
    user_id     text not null,
    is_member   boolean not null,
    changed_at  timestamptz not null,
    primary key (incident_id, user_id)
);

create index incident_members_user on incident_members (user_id) where is_member;

-- Incidents opened before this table: their reporters, then the joins and leaves the timeline already holds
-- (the newest per person), so a private incident does not vanish from its own members' Home tab.
insert into incident_members (incident_id, user_id, is_member, changed_at)
select id, reporter_id, true, created_at from incidents;

insert into incident_members (incident_id, user_id, is_member, changed_at)
select distinct on (incident_id, user_id) incident_id, user_id, kind = 'joined', occurred_at
from timeline_entries
where kind in ('joined', 'left') and user_id is not null
order by incident_id, user_id, occurred_at desc, id desc
on conflict (incident_id, user_id) do update set is_member = excluded.is_member, changed_at = excluded.changed_at
    where incident_members.changed_at < excluded.changed_at;
