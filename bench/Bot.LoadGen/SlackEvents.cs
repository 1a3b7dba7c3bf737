using System.Text.Json;

namespace Bot.LoadGen;

/// <summary>Message events as Slack delivers them (LoadRunner signs them with SlackSignatureVerifier.Sign).</summary>
internal static class SlackEvents
{
    public sealed record Prepared(string EventId, string Ts, byte[] Body);

    public static Prepared Message(string teamId, string channel, string user, int n, long baseSeconds)
    {
        // Unique, increasing ts per event: seconds plus a 6-digit counter, as Slack writes them.
        var ts = $"{baseSeconds + n / 1_000_000}.{n % 1_000_000:D6}";
        var eventId = $"Ev{baseSeconds:X}{n:D7}";
        var body = JsonSerializer.SerializeToUtf8Bytes(new
        {
            token = "unused",
            team_id = teamId,
            api_app_id = "A0BENCH",
            @event = new
            {
                type = "message",
                channel,
                user,
                text = $"load message {n}: checking the dashboards, error rate is {n % 97}%",
                ts,
                event_ts = ts,
                channel_type = "channel",
            },
            type = "event_callback",
            event_id = eventId,
            event_time = baseSeconds,
        });
        return new Prepared(eventId, ts, body);
    }
}
