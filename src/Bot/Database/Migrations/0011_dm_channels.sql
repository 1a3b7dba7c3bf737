-- The bot's DM channel with each user. conversations.open is Tier 3 (about 50 a minute): a reminder run to
-- many people must not open each DM again, and instances share what one of them learned.
create table slack_dm_channels (
    user_id    text primary key,
    channel_id text not null,
    opened_at  timestamptz not null
);
