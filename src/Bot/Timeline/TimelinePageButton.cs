using System.Globalization;
using Bot.Incidents;
using Bot.Slack.Handlers;
using Bot.Slack.Interactivity;
using Bot.Slack.WebApi;

namespace Bot.Timeline;

/// <summary>The Earlier / Later buttons of /incident timeline: replaces the ephemeral view with the asked page.</summary>
public sealed class TimelinePageButton(IncidentStore incidents, TimelineView view, ISlackApi slack) : IBlockActionHandler
{
    public async Task Handle(BlockAction action, BlockActionsPayload payload, CancellationToken ct)
    {
        if (payload.ResponseUrl is null || action.Value is null) return;
        var parts = action.Value.Split(':');
        if (parts.Length != 2
            || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var incidentId)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var page))
            return;
        var incident = await incidents.Get(incidentId, ct);
        // Only the incident's own channel shows its timeline (a forged value must not read another one).
        var channel = payload.Channel?.Id ?? payload.Container?.ChannelId;
        if (incident is null || incident.ChannelId is null || incident.ChannelId != channel) return;
        await slack.Respond(payload.ResponseUrl, await view.Page(incident, page, ct), ct);
    }
}
