using System.Globalization;
using Bot.Access;
using Bot.Postmortems.Meetings;
using Bot.Postmortems.Scheduling;
using Bot.Slack.Handlers;
using Bot.Slack.Interactivity;
using Bot.Slack.WebApi;

namespace Bot.Postmortems;

/// <summary>"Schedule this" in the prep DM: books the proposed slot (value "incidentId:unixSeconds"). The proposal is
/// made before any meeting is set, so it acts once, and only while none was ever set (version 0): a second click, or
/// one after someone set the meeting with /postmortem schedule, changes nothing and is told what the meeting is now.</summary>
public sealed class ScheduleProposedButton(MeetingSlotActions actions, AccessPolicy access, ISlackApi slack) : IBlockActionHandler
{
    private const int ProposalVersion = 0;

    public async Task Handle(BlockAction action, BlockActionsPayload payload, CancellationToken ct)
    {
        var user = payload.User?.Id;
        var parts = (action.Value ?? "").Split(':');
        if (user is null || parts.Length != 2 || MeetingSlotActions.IncidentId(parts[0]) is not { } incidentId
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var unix))
            return;
        if (await access.Refusal(incidentId, user, Acts.Schedule, ct) is { } refusal)
        {
            if (payload.ResponseUrl is not null) await slack.Respond(payload.ResponseUrl, MessageResponse.Ephemeral(refusal), ct);
            return;
        }
        var zone = await actions.ZoneOf(user, ct);
        var outcome = await actions.Schedule(incidentId, DateTimeOffset.FromUnixTimeSeconds(unix), null, user, zone, ProposalVersion, ct);
        if (payload.ResponseUrl is null) return;
        var text = outcome switch
        {
            ScheduleOutcome.Scheduled s => $":white_check_mark: Scheduled for {TimeZones.Describe(s.Meeting.Start!.Value, zone)}. Invites are on their way.",
            ScheduleOutcome.Stale stale => $":information_source: {actions.Now(stale.Current, zone)}",
            ScheduleOutcome.Refused r => r.Message,
            _ => "",
        };
        await slack.Respond(payload.ResponseUrl, MessageResponse.Ephemeral(text), ct);
    }
}
