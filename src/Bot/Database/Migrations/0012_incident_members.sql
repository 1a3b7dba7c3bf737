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
