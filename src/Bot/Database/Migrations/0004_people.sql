-- Caches of Slack's users and user groups, so stored text keeps ids and rendering shows names.
-- Filled lazily when rendering (never on the capture path).
create table slack_users (
    user_id      text primary key,
    team_id      text,
    display_name text,
    real_name    text,
    tz           text,
    title        text,
    is_bot       boolean not null default false,
    fetched_at   timestamptz not null
);

create table slack_usergroups (
    usergroup_id text primary key,
    handle       text,
    name         text,
    fetched_at   timestamptz not null
);
