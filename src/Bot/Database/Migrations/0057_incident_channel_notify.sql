-- Every instance keeps the set of incident channels in memory (Timeline/IncidentChannels), so an event from any other
-- channel is answered without a write. Whoever sets, changes or removes an incident's channel (the opening job on any
-- instance, a backfill, an operator's SQL) tells them all: '+C123' when a channel becomes an incident's, '-C123' when it
-- stops being one. PostgreSQL sends a notification when its transaction commits, in commit order.
create function notify_incident_channel() returns trigger language plpgsql as $$
begin
    if tg_op in ('UPDATE', 'DELETE') and old.channel_id is not null
       and (tg_op = 'DELETE' or new.channel_id is distinct from old.channel_id) then
        perform pg_notify('incident_channels', '-' || old.channel_id);
    end if;
    if tg_op in ('INSERT', 'UPDATE') and new.channel_id is not null
       and (tg_op = 'INSERT' or new.channel_id is distinct from old.channel_id) then
        perform pg_notify('incident_channels', '+' || new.channel_id);
    end if;
    return null;
end
$$;

create trigger incident_channel_changed
    after insert or update of channel_id or delete on incidents
    for each row execute function notify_incident_channel();
