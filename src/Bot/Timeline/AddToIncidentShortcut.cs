using Bot.Incidents;
using Bot.Slack.Blocks;
using Bot.Slack.Handlers;
using Bot.Slack.Interactivity;
using Bot.Slack.WebApi;

namespace Bot.Timeline;

/// <summary>The "Add to incident" message shortcut: what was said in another channel joins an open incident's
/// timeline as an additional detail. One open incident: added at once; several: a modal asks which.</summary>
public sealed class AddToIncidentShortcut(IncidentStore incidents, DetailStore details, ISlackApi slack, ILogger<AddToIncidentShortcut> logger)
    : IMessageShortcutHandler
{
    public const string CallbackId = "add_to_incident";

    public async Task Handle(MessageShortcutPayload payload, CancellationToken ct)
    {
        var team = payload.Team?.Id;
        var user = payload.User?.Id;
        var channel = payload.Channel?.Id;
        var ts = payload.Message?.Ts ?? payload.MessageTs;
        if (team is null || user is null || channel is null || ts is null) return;

        // Only what this user may see: a private incident is offered to the members of its channel alone.
        var open = await incidents.OpenIncidentsVisibleTo(team, user, ct);
        if (open.Count == 0)
        {
            await Reply(payload.ResponseUrl, $"There is no open incident to add this message to. Open one with `{Usage.New}`.", ct);
            return;
        }

        if (open.Count == 1)
        {
            var detail = new DetailStore.Detail(channel, ts, payload.Message?.User, payload.Message?.Text, await Permalink(channel, ts, ct), user);
            var added = await details.Add(open[0].Id, detail, ct);
            await Reply(payload.ResponseUrl, added
                ? $"Added to incident #{open[0].Number} ({Mrkdwn.Escape(open[0].Title)})."
                : $"That message is already in incident #{open[0].Number}.", ct);
            return;
        }

        // trigger_id lives 3 seconds: open the modal first, then fetch the permalink and park the message
        // (the user takes longer than that to pick an incident).
        if (payload.TriggerId is null) return;
        var draftId = Guid.NewGuid();
        await slack.Views.Open(payload.TriggerId, AddToIncidentModal.Build(draftId, open), ct);
        var parked = new DetailStore.Detail(channel, ts, payload.Message?.User, payload.Message?.Text, await Permalink(channel, ts, ct), user);
        await details.SaveDraft(draftId, team, parked, payload.ResponseUrl, ct);
    }

    private async Task<string?> Permalink(string channel, string ts, CancellationToken ct)
    {
        try
        {
            return await slack.Chat.GetPermalink(channel, ts, ct);
        }
        catch (SlackApiException e)
        {
            logger.LogInformation("chat.getPermalink failed: {Error}", e.Error);
            return null;
        }
    }

    private async Task Reply(string? responseUrl, string text, CancellationToken ct)
    {
        if (responseUrl is not null) await slack.Respond(responseUrl, MessageResponse.Ephemeral(text), ct);
    }
}
