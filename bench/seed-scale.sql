-- Scale seed for bench/Bot.LoadGen --seed: :incidents incidents (team T0SCALE, channels CSCALE000001…) and
-- :rows timeline rows in all, each with the event id its capture recorded in slack_events_processed. The first
-- incident (CSCALE000001) has :big entries (every 10th marked by a legend reaction, every 100th pinned) for the
-- /incident timeline and /postmortem preview probes; the others share the rest evenly.
-- Fast: one INSERT … SELECT generate_series per table, foreign-key triggers off for the session (the rows are
-- consistent by construction), the two secondary indexes of timeline_entries built after the insert.
-- Run by LoadGen (psql-style :name variables are replaced by it), after the bot migrated the database.
set synchronous_commit = off;
set session_replication_role = replica;
set maintenance_work_mem = '512MB';

insert into incidents (team_id, number, title, status, commander_id, reporter_id, channel_name, created_at, channel_id, resolved_at)
select 'T0SCALE', n, 'Seeded incident ' || n, case when n % 10 = 0 then 'investigating' else 'resolved' end,
       'U0BENCH0' || (1 + n % 5), 'U0BENCH0' || (1 + n % 5), 'inc-scale-' || n,
       to_timestamp(1600000000 + n * 3600), 'CSCALE' || lpad(n::text, 6, '0'),
       case when n % 10 = 0 then null else to_timestamp(1600000000 + n * 3600 + 1800) end
from generate_series(1, :incidents) n;
insert into incident_counters (team_id, last_number) values ('T0SCALE', :incidents)
on conflict (team_id) do update set last_number = excluded.last_number;

drop index timeline_entries_message;
drop index timeline_entries_order;

-- Row g of incident n: ts = the incident's start + g seconds (unique per incident, as Slack's ts are).
insert into timeline_entries (incident_id, kind, slack_ts, user_id, text, occurred_at, text_at, recorded_at)
select i.id, 'message', (1600000000 + i.number * 3600 + g)::text || '.000100', 'U0BENCH0' || (1 + g % 5),
       'seeded message ' || g || ': checking the dashboards, error rate is ' || (g % 97) || '%',
       to_timestamp(1600000000 + i.number * 3600 + g), to_timestamp(1600000000 + i.number * 3600 + g), now()
from incidents i
cross join lateral generate_series(1, case when i.number = 1 then :big else (:rows - :big) / (:incidents - 1) end) g
where i.team_id = 'T0SCALE';

create unique index timeline_entries_message on timeline_entries (incident_id, slack_ts) where kind = 'message';
create index timeline_entries_order on timeline_entries (incident_id, occurred_at, id);

insert into slack_events_processed (event_id, received_at)
select 'EvSEED' || lpad(g::text, 9, '0'), now() from generate_series(1, :rows) g;

insert into timeline_reaction_marks (incident_id, slack_ts, emoji, user_id, section, reacted_at)
select i.id, (1600000000 + 3600 + g)::text || '.000100', 'eyes', 'U0BENCH02', 'observations', to_timestamp(1600000000 + 3600 + g + 5)
from incidents i, generate_series(10, :big, 10) g where i.team_id = 'T0SCALE' and i.number = 1;
insert into timeline_pin_marks (incident_id, slack_ts, pinned_by, pinned_at)
select i.id, (1600000000 + 3600 + g)::text || '.000100', 'U0BENCH03', to_timestamp(1600000000 + 3600 + g + 7)
from incidents i, generate_series(100, :big, 100) g where i.team_id = 'T0SCALE' and i.number = 1;

-- Resolved incidents have their post-mortem row (what resolving leaves), so /postmortem preview drafts them.
insert into postmortems (incident_id, resolved_at, summary, point_person_id)
select id, resolved_at, 'Seeded summary', commander_id from incidents where team_id = 'T0SCALE' and resolved_at is not null;

reset session_replication_role;
analyze incidents;
analyze timeline_entries;
analyze slack_events_processed;
analyze timeline_reaction_marks;
analyze timeline_pin_marks;
analyze postmortems;
