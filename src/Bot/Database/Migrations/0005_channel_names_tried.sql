-- Channel names the open job asked Slack to create, recorded before each conversations.create. A retry that
-- meets name_taken on a name of this list may be meeting its own channel (the earlier run died between Slack's
-- answer and storing channel_id); EarlierChannel then adopts it instead of opening a second one.
alter table incidents add column channel_names_tried text[] not null default '{}';
