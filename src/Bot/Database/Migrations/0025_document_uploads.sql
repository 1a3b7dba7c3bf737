-- The full post-mortem document uploaded as a Markdown file into someone's DM (/postmortem preview, the resolve
-- prep DM). One row per request; the job claims it (a lease, so a crashed run is retried) and marks it sent, so a
-- job that Hangfire runs twice uploads once. reason 'prep' exists once per incident.
create table document_uploads (
    id          uuid primary key,
    incident_id bigint not null references incidents (id),
    user_id     text not null,
    reason      text not null,
    requested_at timestamptz not null,
    claimed_at  timestamptz,
    sent_at     timestamptz,
    file_id     text
);

create unique index document_uploads_prep on document_uploads (incident_id) where reason = 'prep';
