-- Whether the bot may still talk to a workspace. Slack tells us it may not (app_uninstalled, tokens_revoked for the
-- bot's token, or an API call answered token_revoked / account_inactive / invalid_auth); auth.test accepting the
-- token again (at startup, or probed when an event from the team arrives) sets it back to installed. since is the
-- instant the state began (an event's event_time), so a late retry of an old app_uninstalled cannot undo a reinstall.
-- No row: installed. The workspace's data is never deleted here.
create table workspace_states (
    team_id text primary key,
    state   text not null check (state in ('installed', 'uninstalled', 'revoked')),
    since   timestamptz not null,
    reason  text not null
);

-- Hangfire jobs held back while their workspace was not installed (Hangfire state 'Parked'): requeued, each once,
-- when it is installed again.
create table workspace_parked_jobs (
    job_id    text primary key,
    team_id   text not null,
    job       text not null,
    parked_at timestamptz not null
);
create index workspace_parked_jobs_team on workspace_parked_jobs (team_id);
