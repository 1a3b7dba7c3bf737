-- The channel hears of each hand edit once: set (update ... where noted_at is null returning) by EditNoteJob.
alter table postmortem_section_edits add column noted_at timestamptz;

-- Every change of a question's answer, with who and when (postmortem_questions holds the current answer);
-- noted_at as above, for AnswerNoteJob.
create table postmortem_question_answers (
    id          bigint generated always as identity primary key,
    incident_id bigint not null,
    number      integer not null,
    answer      text not null,
    answered_by text not null,
    answered_at timestamptz not null,
    noted_at    timestamptz,
    foreign key (incident_id, number) references postmortem_questions (incident_id, number)
);

create index postmortem_question_answers_question on postmortem_question_answers (incident_id, number, id);
