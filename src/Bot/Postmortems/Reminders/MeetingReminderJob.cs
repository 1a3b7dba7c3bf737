using Bot.Operations;
using Bot.Postmortems.Meetings;
using Bot.Postmortems.Scheduling;
using Bot.Slack.Blocks;
using Hangfire;
using Microsoft.Extensions.Options;

namespace Bot.Postmortems.Reminders;

/// <summary>The reminder to every attendee, ReminderHours before (or, when the meeting was set closer than that, a short
/// "coming up" note): how soon and the time in their zone, the channel, what to read, and that the meeting is
/// blameless. Sent for the version it was planned for only, and never once the meeting has started.</summary>
[AutomaticRetry(Attempts = 3, DelaysInSeconds = [2, 10, 30])]
public sealed class MeetingReminderJob(MeetingContextLoader loader, SendMarkers markers, DirectMessages dms, TimeProvider time,
    ILogger<MeetingReminderJob> logger, IOptions<PostmortemOptions> options, BotMetrics metrics)
{
    public const string KindDayBefore = "day_before";
    public const string KindComingUp = "coming_up";

    public async Task Run(long incidentId, int version, bool comingUp, CancellationToken ct)
    {
        if (await loader.Load(incidentId, version, ct) is not { Meeting.IsScheduled: true } ctx) return;
        if (ctx.Meeting.Start <= time.GetUtcNow())
        {
            logger.LogInformation("Reminder for incident {Incident} dropped: the meeting has started", incidentId);
            return;
        }
        if (!comingUp) metrics.ReminderLate("reminder", time.GetUtcNow() - ctx.Meeting.Start!.Value.AddHours(-options.Value.ReminderHours));
        var kind = comingUp ? KindComingUp : KindDayBefore;
        foreach (var user in ctx.Invited)
        {
            var text = comingUp
                ? $":alarm_clock: Coming up: the post-mortem of incident #{ctx.Incident.Number} *{Mrkdwn.Escape(ctx.Incident.Title)}* " +
                  $"at *{ctx.TimeFor(user)}* in {ctx.ChannelLink}."
                : $":alarm_clock: {Lead(time.GetUtcNow(), ctx.Meeting.Start!.Value, ctx.ZoneOf(user))}: the post-mortem of incident #{ctx.Incident.Number} *{Mrkdwn.Escape(ctx.Incident.Title)}* " +
                  $"at *{ctx.TimeFor(user)}* ({ctx.Meeting.DurationMinutes} min) in {ctx.ChannelLink}.";
            var blocks = new List<Block>
            {
                Block.Section(text),
                Block.Section($"*Before the meeting*, read the draft: `/postmortem preview` in {ctx.ChannelLink} shows it. {ctx.Roles}"),
                Block.Context(":handshake: The meeting is blameless and short: we look at what happened and how the system let it happen, not at who did it."),
            };
            await markers.Once(incidentId, version, kind, user, async () => await dms.Send(user, text, blocks, ct), ct);
        }
    }

    /// <summary>How soon, as the reader would say it: "In 40 min", "In 4 hours", else by their calendar: "Today",
    /// "Tomorrow", "In 2 days" (ReminderHours is configurable, so it is not always the day before).</summary>
    public static string Lead(DateTimeOffset now, DateTimeOffset start, TimeZoneInfo zone)
    {
        var lead = start - now;
        if (lead < TimeSpan.FromMinutes(59.5)) return $"In {Math.Max(1, (int)Math.Round(lead.TotalMinutes))} min";
        if (lead < TimeSpan.FromHours(11.5))
        {
            var hours = (int)Math.Round(lead.TotalHours);
            return hours == 1 ? "In 1 hour" : $"In {hours} hours";
        }
        var days = DateOnly.FromDateTime(TimeZones.ToLocal(start, zone)).DayNumber - DateOnly.FromDateTime(TimeZones.ToLocal(now, zone)).DayNumber;
        return days switch
        {
            <= 0 => "Today",
            1 => "Tomorrow",
            _ => $"In {days} days",
        };
    }
}
