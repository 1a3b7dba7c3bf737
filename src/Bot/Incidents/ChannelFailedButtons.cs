using System.Globalization;
using Bot.Access;
using Bot.Slack.Handlers;
using Bot.Slack.Interactivity;
using Bot.Slack.WebApi;

namespace Bot.Incidents;

/// <summary>Retry / Cancel under the message that says the channel could not be opened. Either works once: a
/// second click (or a click on the other button after it) finds nothing waiting and says so. Only the reporter, the
/// commander or an admin may click them (AccessPolicy).</summary>
public sealed class ChannelFailedButtons(ChannelFailures failures, IncidentStore incidents, AccessPolicy access, ISlackApi slack) : IBlockActionHandler
{
    public async Task Handle(BlockAction action, BlockActionsPayload payload, CancellationToken ct)
    {
        var user = payload.User?.Id;
        if (user is null || !long.TryParse(action.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var incidentId)) return;
        var incident = await incidents.Get(incidentId, ct);
        if (incident is null) return;

        if (await access.Refusal(incidentId, user, Acts.RetryChannel, ct) is { } refusal)
        {
            if (payload.ResponseUrl is not null) await slack.Respond(payload.ResponseUrl, MessageResponse.Ephemeral(refusal), ct);
            return;
        }

        var retry = action.ActionId == ChannelFailedMessage.RetryAction;
        var outcome = retry ? await failures.Retry(incidentId, user, ct) : await failures.Cancel(incidentId, user, ct);
        if (payload.ResponseUrl is null) return;
        var reply = outcome switch
        {
            ChannelFailures.Outcome.Done when retry => Replace($":repeat: Trying incident #{incident.Number} again; I'll tell you when the channel is ready."),
            ChannelFailures.Outcome.Done => Replace($":x: Incident #{incident.Number} is cancelled."),
            _ => Replace($"Incident #{incident.Number} is not waiting for an answer any more (it was retried or cancelled)."),
        };
        await slack.Respond(payload.ResponseUrl, reply, ct);
    }

    private static MessageResponse Replace(string text) => new() { ResponseType = "ephemeral", Text = text, ReplaceOriginal = true };
}
