using System.Globalization;
using Bot.Access;
using Bot.Postmortems.Meetings;
using Bot.Postmortems.Scheduling;
using Bot.Slack.Blocks;
using Bot.Slack.Handlers;
using Bot.Slack.Interactivity;
using Bot.Slack.WebApi;
using Microsoft.Extensions.Options;

namespace Bot.Postmortems;

/// <summary>"Pick another time": a modal with a date picker and a time picker (in the clicking person's time
/// zone); its submission schedules the meeting, or moves it when one is set (the modal says so, preset to its time).
/// The modal carries the meeting version it was opened on: a meeting set, moved or cancelled since is left alone, and
/// the submission says what it is now. Both the click and the submission are the responders' (AccessPolicy).</summary>
public sealed class PickTimeModal(MeetingSlotActions actions, PostmortemStore postmortems, MeetingStore meetings, AccessPolicy access, ISlackApi slack,
    IOptions<PostmortemOptions> options, TimeProvider time)
    : IBlockActionHandler, IViewSubmissionHandler
{
    public const string CallbackId = "postmortem_pick_time";
    private const string DateBlock = "date";
    private const string TimeBlock = "time";
    private const string LengthBlock = "length";

    /// <summary>The button: opens the modal, preset to the proposed slot.</summary>
    public async Task Handle(BlockAction action, BlockActionsPayload payload, CancellationToken ct)
    {
        var user = payload.User?.Id;
        if (user is null || payload.TriggerId is null || MeetingSlotActions.IncidentId(action.Value) is not { } incidentId) return;
        if (await access.Refusal(incidentId, user, Acts.Schedule, ct) is { } refusal)
        {
            if (payload.ResponseUrl is not null) await slack.Respond(payload.ResponseUrl, MessageResponse.Ephemeral(refusal), ct);
            return;
        }
        var zone = await actions.ZoneOf(user, ct);
        var meeting = await meetings.Get(incidentId, ct);
        var set = meeting is { IsScheduled: true } && meeting.Start > time.GetUtcNow() ? meeting : null;
        var at = set?.Start ?? ((await postmortems.Get(incidentId, ct))?.ProposedStart is { } p
            ? new DateTimeOffset(DateTime.SpecifyKind(p, DateTimeKind.Utc))
            : time.GetUtcNow().AddDays(1));
        var local = TimeZones.ToLocal(at, zone);
        var notice = set is null ? null
            : $":information_source: The meeting is set for *{TimeZones.Describe(set.Start!.Value, zone)}*, {set.DurationMinutes} min" +
              $"{(set.ScheduledBy is null ? "" : $" (by <@{set.ScheduledBy}>)")}. *Move* moves it to the time you pick here.";
        await slack.Views.Open(payload.TriggerId, Build(incidentId, meeting?.Version ?? 0, DateOnly.FromDateTime(local), TimeOnly.FromDateTime(local),
            zone.Id, set?.DurationMinutes ?? options.Value.DefaultMinutes, notice), ct);
    }

    /// <param name="version">The meeting version the modal is opened on; the submission acts only while it is current.</param>
    /// <param name="notice">What is set already (the submission then moves it).</param>
    public static ModalView Build(long incidentId, int version, DateOnly date, TimeOnly at, string zoneId, int minutes, string? notice = null)
    {
        var blocks = new List<Block>();
        if (notice is not null) blocks.Add(Block.Context(notice));
        blocks.Add(Block.Input(DateBlock, "Day", new DatePickerElement { ActionId = DateBlock, InitialDate = DatePickerElement.Format(date) }));
        blocks.Add(Block.Input(TimeBlock, "Time", new TimePickerElement { ActionId = TimeBlock, InitialTime = TimePickerElement.Format(at), Timezone = zoneId }));
        blocks.Add(Block.Input(LengthBlock, "Minutes", new PlainTextInputElement
        {
            ActionId = LengthBlock, InitialValue = minutes.ToString(CultureInfo.InvariantCulture), MaxLength = 3,
        }, optional: true));
        return new ModalView("Post-mortem meeting")
        {
            CallbackId = CallbackId,
            PrivateMetadata = $"{incidentId.ToString(CultureInfo.InvariantCulture)}:{version.ToString(CultureInfo.InvariantCulture)}",
            Submit = notice is null ? "Schedule" : "Move",
            Close = "Cancel",
            Blocks = blocks,
        };
    }

    public async Task<ViewSubmissionResponse?> Handle(ViewSubmissionPayload payload, CancellationToken ct)
    {
        var values = payload.View.State?.Values;
        var user = payload.User?.Id;
        var target = MeetingSlotActions.IncidentAndVersion(payload.View.PrivateMetadata);
        var date = Value(values, DateBlock)?.SelectedDate;
        var at = Value(values, TimeBlock)?.SelectedTime;
        var lengthText = Value(values, LengthBlock)?.Value?.Trim();
        if (user is null || target is not { } t)
            return Error(DateBlock, "Slack did not say who you are or which incident this is; try again.");
        // Checked again on submit: whoever opened the modal may have lost their role since (a handover, a new comms).
        if (await access.PlainRefusal(t.IncidentId, user, Acts.Schedule, ct) is { } refusal) return Error(DateBlock, refusal);
        if (!DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            return Error(DateBlock, "Pick a day.");
        if (!TimeOnly.TryParseExact(at, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var clock))
            return Error(TimeBlock, "Pick a time.");
        int? minutes = null;
        if (!string.IsNullOrEmpty(lengthText))
        {
            if (!int.TryParse(lengthText, NumberStyles.None, CultureInfo.InvariantCulture, out var m)) return Error(LengthBlock, "Minutes, as a number.");
            minutes = m;
        }
        var (incidentId, version) = t;
        var zone = await actions.ZoneOf(user, ct);
        if (TimeZones.ToInstant(day.ToDateTime(clock), zone) is not { } start)
            return Error(TimeBlock, $"That time does not exist in {zone.Id} (the clocks change then).");
        return await actions.Schedule(incidentId, start, minutes, user, zone, version, ct) switch
        {
            ScheduleOutcome.Refused refused => Error(refused.Message.Contains("minutes") ? LengthBlock : DateBlock, refused.Message),
            ScheduleOutcome.Stale stale => Error(DateBlock, "Since you opened this, the meeting changed. " + actions.Now(stale.Current, zone, mrkdwn: false)),
            _ => null,
        };
    }

    private static ViewSubmissionResponse Error(string block, string message) =>
        ViewSubmissionResponse.WithErrors(new Dictionary<string, string> { [block] = message });

    private static BlockAction? Value(Dictionary<string, Dictionary<string, BlockAction>>? values, string block) =>
        values is not null && values.TryGetValue(block, out var a) && a.TryGetValue(block, out var v) ? v : null;
}
