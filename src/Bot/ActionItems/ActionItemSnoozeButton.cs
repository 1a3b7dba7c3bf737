using Bot.Postmortems.Scheduling;
using Bot.Slack.Handlers;
using Bot.Slack.Interactivity;

namespace Bot.ActionItems;

/// <summary>Snooze 1 day / Snooze 1 week: the item leaves the chase DMs until that many days from today, at midnight
/// in the clicker's zone (so "1 day" means tomorrow's chase, whatever the time of the click).</summary>
public sealed class ActionItemSnoozeButton(ItemReplies replies) : IBlockActionHandler
{
    public async Task Handle(BlockAction action, BlockActionsPayload payload, CancellationToken ct)
    {
        if (payload.User?.Id is not { } user || ActionItemBlocks.ParseRef(action.Value) is not { } item) return;
        var days = action.ActionId == ActionItemBlocks.SnoozeWeek ? 7 : 1;
        var zone = await replies.ZoneOf(user, ct);
        var today = DateOnly.FromDateTime(TimeZones.ToLocal(replies.Now, zone));
        var until = TimeZones.ToInstant(today.AddDays(days).ToDateTime(TimeOnly.MinValue), zone)
                    ?? TimeZones.ToInstant(today.AddDays(days).ToDateTime(new TimeOnly(1, 0)), zone)!.Value;
        var outcome = await replies.Store.Change(item.Id, item.Version, action.ActionId, user, i =>
        {
            if (!i.IsOpen) return null;
            i.SnoozedUntil = until.UtcDateTime;
            return i;
        }, ct);
        await replies.Say(payload, replies.Describe(outcome,
            i => $":zzz: Snoozed until {ActionItemBlocks.Day(until, zone)}: *{ActionItemBlocks.Text(i)}*. I'll remind you then.", zone), ct);
    }
}
