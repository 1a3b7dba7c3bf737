namespace Bot.Slack.Tests.Support;

/// <summary>Events API bodies the HTTP tests post.</summary>
public static class EventJson
{
    /// <summary>A plain message in C1 from U1 saying "hello".</summary>
    public static string Message(string eventId) => $$$"""
        {"type":"event_callback","team_id":"T1","api_app_id":"A1","event_id":"{{{eventId}}}","event_time":1700000000,
         "event":{"type":"message","channel":"C1","user":"U1","text":"hello","ts":"1700000000.000100"}}
        """;

    /// <summary>An event_callback envelope around an inner event object.</summary>
    public static string Envelope(string innerEvent, string eventId = "Ev1") => $$$"""
        {"type":"event_callback","team_id":"T1","api_app_id":"A1","event_id":"{{{eventId}}}","event_time":1700000000,"event":{{{innerEvent}}}}
        """;
}
