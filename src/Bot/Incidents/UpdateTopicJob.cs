using Bot.Slack.WebApi;
using Hangfire;

namespace Bot.Incidents;

/// <summary>Keeps the channel topic (number, title, severity, status) current after a change. Sets the topic
/// from the incident as it is when the job runs, so running it twice, or late, is harmless.</summary>
public sealed class UpdateTopicJob(IncidentStore incidents, ISlackApi slack)
{
    [AutomaticRetry(Attempts = 3, DelaysInSeconds = [10, 60, 300])]
    public async Task Run(long incidentId, CancellationToken ct)
    {
        var incident = await incidents.Get(incidentId, ct);
        // Before the channel exists OpenIncidentChannelJob sets the topic itself, from the same row.
        if (incident?.ChannelId is null || incident.TopicSetAt is null) return;
        await slack.Conversations.SetTopic(incident.ChannelId, KickoffMessage.Topic(incident), ct);
    }
}
