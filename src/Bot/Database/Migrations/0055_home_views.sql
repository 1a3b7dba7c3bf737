-- Who has opened the app's Home tab. Only their views are republished when what Home shows changes: anyone else
-- gets a fresh view from app_home_opened when they first look. refresh_pending_since coalesces the changes of a few
-- seconds into one views.publish per person (one job, not one per change); notice is the answer to a button
-- clicked on Home (a view has no response_url), shown once at the top of the next publish.
create table home_views (
    team_id               text not null,
    user_id               text not null,
    opened_at             timestamptz not null,
    refresh_pending_since timestamptz,
    published_at          timestamptz,
    notice                text,
    primary key (team_id, user_id)
);

create index home_views_user on home_views (user_id);
