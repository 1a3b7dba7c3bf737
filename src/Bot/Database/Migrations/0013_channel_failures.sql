-- When OpenIncidentChannelJob stops for good (a Slack error no retry can fix, or its retries spent), the incident
-- records why and waits for its reporter: they are told (failure_told_at, set once per failure) and can retry,
-- which clears channel_failed_at and runs the job again from its step markers, or cancel (cancelled_at; the
-- incident is then closed like a resolved one, so it leaves every list of open incidents).
alter table incidents
    add column channel_failed_at timestamptz,
    add column channel_error     text,
    add column failure_told_at   timestamptz,
    add column cancelled_at      timestamptz;
