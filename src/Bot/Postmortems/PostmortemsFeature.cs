using Bot.Hosting;
using Bot.Postmortems.Meetings;
using Bot.Postmortems.Reminders;
using Bot.Postmortems.Scheduling;
using Bot.Slack;
using Microsoft.Extensions.Options;

namespace Bot.Postmortems;

public static class PostmortemsFeature
{
    /// <summary>/incident resolve's work, /postmortem, the prep DM's buttons and modal, and the meeting jobs.</summary>
    public static IServiceCollection AddPostmortems(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddBotOptions<PostmortemOptions>(configuration, PostmortemOptions.SectionName)
            .Validate(o => BotOptionsExtensions.Parses(() => WorkingTime.From(o)), "Bot:Postmortems:WorkingHours / WorkingDays cannot be read (e.g. \"09:00-17:00\", \"Mon-Fri\").")
            .Validate(o => o.MaxMinutes >= o.DefaultMinutes, "Bot:Postmortems:MaxMinutes must be at least DefaultMinutes.")
            .Validate(o => o.PrepNudgeHours.All(h => h is > 0 and <= 336), "Bot:Postmortems:PrepNudgeHours must be between 1 and 336.");
        services.AddScoped<ResolveIncident>();
        services.AddScoped<PostmortemStore>();
        services.AddSingleton<DmChannelCache>();
        services.AddScoped<DirectMessages>();
        services.AddScoped<MeetingStore>();
        services.AddScoped<MeetingScheduler>();
        services.AddScoped<SendMarkers>();
        services.AddScoped<MeetingContextLoader>();
        services.AddScoped<MeetingSlotActions>();

        services.AddScoped<DraftPostmortemJob>();
        services.AddScoped<MeetingNoticeJob>();
        services.AddScoped<MeetingReminderJob>();
        services.AddScoped<PrepNudgeJob>();
        services.AddScoped<MeetingStartJob>();
        services.AddScoped<MeetingAnnounceJob>();
        services.AddScoped<MeetingRoleJob>();

        services.AddSlack()
            .AddSlashCommand<PostmortemCommand>(PostmortemCommand.Command)
            .AddBlockAction<ScheduleProposedButton>(DraftPostmortemJob.ScheduleProposedAction)
            .AddBlockAction<PickTimeModal>(DraftPostmortemJob.PickTimeAction)
            .AddViewSubmission<PickTimeModal>(PickTimeModal.CallbackId);
        return services;
    }
}
