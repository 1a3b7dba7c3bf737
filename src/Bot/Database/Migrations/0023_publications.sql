-- A post-mortem's publication: once per incident (publishing again sends nothing twice). Where it went is kept as it
-- was when published, so a retry of a step after a settings change still goes to the same place.
-- Each step's "sent" markers are rows in postmortem_sends (version 1, kinds publish_*).
create table postmortem_publications (
    incident_id         bigint primary key references incidents (id),
    published_at        timestamptz not null,
    published_by        text not null,
    forced              boolean not null,
    problems_overridden text[] not null default '{}',
    announce_channel    text,
    mailing_list        text
);
