-- Hand edits of the post-mortem's sections. Every save is a row (who and when is the history); the newest row
-- of a section is its text, and it wins over whatever capture marks for that section later.
create table postmortem_section_edits (
    id          bigint generated always as identity primary key,
    incident_id bigint not null references incidents (id),
    section     text not null,
    text        text not null,
    edited_by   text not null,
    edited_at   timestamptz not null
);

create index postmortem_section_edits_latest on postmortem_section_edits (incident_id, section, id desc);

-- Questions raised about the incident, numbered per incident (/postmortem answer <n>): asked with
-- /postmortem question, or a message marked :question: (slack_ts set; copied in once, on first read).
create table postmortem_questions (
    incident_id bigint not null references incidents (id),
    number      integer not null,
    text        text not null,
    asked_by    text,
    asked_at    timestamptz not null,
    slack_ts    text,
    answer      text,
    answered_by text,
    answered_at timestamptz,
    primary key (incident_id, number)
);

create unique index postmortem_questions_message on postmortem_questions (incident_id, slack_ts) where slack_ts is not null;
