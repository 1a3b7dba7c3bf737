using System.Globalization;
using Bot.Incidents;
using Bot.Slack.Blocks;
using Bot.Slack.Handlers;
using Bot.Slack.Interactivity;
using Bot.Slack.WebApi;

namespace Bot.Timeline;

/// <summary>Picks the incident for "Add to incident" when several are open.</summary>
public sealed class AddToIncidentModal(IncidentStore incidents, DetailStore details, ISlackApi slack) : IViewSubmissionHandler
{
    public const string CallbackId = "add_to_incident_pick";
    private const string IncidentBlock = "incident";

    public static ModalView Build(Guid draft, IReadOnlyList<Incident> open) => new("Add to incident")
    {
        CallbackId = CallbackId,
        PrivateMetadata = draft.ToString("N"),
        Submit = "Add",
        Close = "Cancel",
        Blocks =
        [
            Block.Input(IncidentBlock, "Which incident?", new StaticSelectElement(IncidentBlock,
                open.Select(i => new SelectOption($"#{i.Number} {i.Title}", i.Id.ToString(CultureInfo.InvariantCulture))).ToList())),
        ],
    };

    public async Task<ViewSubmissionResponse?> Handle(ViewSubmissionPayload payload, CancellationToken ct)
    {
        var picked = payload.View.State?.Values.GetValueOrDefault(IncidentBlock)?.GetValueOrDefault(IncidentBlock)?.SelectedOption?.Value;
        if (!long.TryParse(picked, NumberStyles.None, CultureInfo.InvariantCulture, out var incidentId))
            return ViewSubmissionResponse.WithErrors(new Dictionary<string, string> { [IncidentBlock] = "Pick an incident." });
        if (!Guid.TryParseExact(payload.View.PrivateMetadata, "N", out var draftId)) return null;

        var incident = await incidents.Get(incidentId, ct);
        var draft = await details.TakeDraft(draftId, ct);
        if (incident is null || draft is null || incident.TeamId != draft.Value.TeamId) return null;
        // The picker offered only what the user may see; a submission naming another incident is not theirs to add to.
        if (!await incidents.IsVisibleTo(incident.Id, draft.Value.Detail.AddedBy, ct)) return null;
        var added = await details.Add(incident.Id, draft.Value.Detail, ct);
        if (draft.Value.ResponseUrl is { } url)
        {
            var text = added ? $"Added to incident #{incident.Number} ({Mrkdwn.Escape(incident.Title)})." : $"That message is already in incident #{incident.Number}.";
            try { await slack.Respond(url, MessageResponse.Ephemeral(text), ct); }
            catch (SlackApiException) { /* the reply is a courtesy; the detail is stored */ }
        }
        return null;
    }
}
