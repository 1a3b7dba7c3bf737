using Bot.Incidents;
using Bot.Slack.WebApi;
using Hangfire;

namespace Bot.Postmortems.Meetings;

/// <summary>Tells the incident channel that the meeting was scheduled or moved from a DM button or the pick-a-time
/// modal (the slash command answers in its own reply). Out of the request path: a view submission has 3 s.
/// Posted once per version; a later version makes it stale (that one announces the current time).</summary>
[AutomaticRetry(Attempts = 3, DelaysInSeconds = [2, 10, 30])]
public sealed class MeetingAnnounceJob(IncidentStore incidents, MeetingStore meetings, SendMarkers markers, ISlackApi slack)
{
    public async Task Run(long incidentId, int version, string text, CancellationToken ct)
    {
        var meeting = await meetings.Get(incidentId, ct);
        if (meeting is not { IsScheduled: true } || meeting.Version != version) return;
        if ((await incidents.Get(incidentId, ct))?.ChannelId is not { } channel) return;
        await markers.Once(incidentId, version, "announce", channel,
            async () => await slack.Chat.PostMessage(new OutgoingMessage { Channel = channel, Text = text }, ct), ct);
    }
}
