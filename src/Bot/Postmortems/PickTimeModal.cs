using System.Globalization;
using Bot.Postmortems.Meetings;
using Bot.Postmortems.Scheduling;
using Bot.Slack.Blocks;
using Bot.Slack.Handlers;
using Bot.Slack.Interactivity;
using Bot.Slack.WebApi;

namespace Bot.Postmortems;

/// <summary>"Pick another time": a modal with a date picker and a time picker (in the clicking person's time
/// zone); its submission schedules the meeting, or moves it when one is set.</summary>
public sealed class PickTimeModal(MeetingSlotActions actions, PostmortemStore postmortems, ISlackApi slack, TimeProvider time)
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
        var zone = await actions.ZoneOf(user, ct);
        var proposed = (await postmortems.Get(incidentId, ct))?.ProposedStart is { } p
            ? TimeZones.ToLocal(new DateTimeOffset(DateTime.SpecifyKind(p, DateTimeKind.Utc)), zone)
            : TimeZones.ToLocal(time.GetUtcNow().AddDays(1), zone);
        await slack.Views.Open(payload.TriggerId, Build(incidentId, DateOnly.FromDateTime(proposed), TimeOnly.FromDateTime(proposed), zone.Id), ct);
    }

    public static ModalView Build(long incidentId, DateOnly date, TimeOnly at, string zoneId) => new("Post-mortem meeting")
    {
        CallbackId = CallbackId,
        PrivateMetadata = incidentId.ToString(CultureInfo.InvariantCulture),
        Submit = "Schedule",
        Close = "Cancel",
        Blocks =
        [
            Block.Input(DateBlock, "Day", new DatePickerElement { ActionId = DateBlock, InitialDate = DatePickerElement.Format(date) }),
            Block.Input(TimeBlock, "Time", new TimePickerElement { ActionId = TimeBlock, InitialTime = TimePickerElement.Format(at), Timezone = zoneId }),
            Block.Input(LengthBlock, "Minutes", new PlainTextInputElement { ActionId = LengthBlock, InitialValue = "45", MaxLength = 3 }, optional: true),
        ],
    };

    public async Task<ViewSubmissionResponse?> Handle(ViewSubmissionPayload payload, CancellationToken ct)
    {
        var values = payload.View.State?.Values;
        var user = payload.User?.Id;
        var incidentId = MeetingSlotActions.IncidentId(payload.View.PrivateMetadata);
        var date = Value(values, DateBlock)?.SelectedDate;
        var at = Value(values, TimeBlock)?.SelectedTime;
        var lengthText = Value(values, LengthBlock)?.Value?.Trim();
        if (user is null || incidentId is null)
            return Error(DateBlock, "Slack did not say who you are or which incident this is; try again.");
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
        var zone = await actions.ZoneOf(user, ct);
        if (TimeZones.ToInstant(day.ToDateTime(clock), zone) is not { } start)
            return Error(TimeBlock, $"That time does not exist in {zone.Id} (the clocks change then).");
        var outcome = await actions.Schedule(incidentId.Value, start, minutes, user, zone, ct);
        return outcome is ScheduleOutcome.Refused refused ? Error(refused.Message.Contains("minutes") ? LengthBlock : DateBlock, refused.Message) : null;
    }

    private static ViewSubmissionResponse Error(string block, string message) =>
        ViewSubmissionResponse.WithErrors(new Dictionary<string, string> { [block] = message });

    private static BlockAction? Value(Dictionary<string, Dictionary<string, BlockAction>>? values, string block) =>
        values is not null && values.TryGetValue(block, out var a) && a.TryGetValue(block, out var v) ? v : null;
}
