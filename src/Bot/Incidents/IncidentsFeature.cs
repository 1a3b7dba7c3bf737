using Bot.Hosting;
using Bot.Jobs;
using Bot.Slack;
using Bot.Timeline;
using Dapper;

namespace Bot.Incidents;

public static class IncidentsFeature
{
    /// <summary>/incident, its modal, and the job that opens the channel.</summary>
    public static IServiceCollection AddIncidents(this IServiceCollection services, IConfiguration configuration)
    {
        // Columns are snake_case, properties PascalCase: mapped once, here, for every Dapper read.
        DefaultTypeMap.MatchNamesWithUnderscores = true;

        services.AddBotOptions<IncidentOptions>(configuration, IncidentOptions.SectionName);
        services.AddScoped<IncidentStore>();
        services.AddScoped<ChannelSteps>();
        services.AddScoped<EarlierChannel>();
        services.AddScoped<OpenIncidentChannelJob>();
        services.AddScoped<UpdateTopicJob>();
        services.AddScoped<ChannelFailures>();
        services.AddScoped<ReportChannelFailureJob>();
        services.AddScoped<IJobGaveUp, ChannelJobGaveUp>();
        services.AddSlack()
            .AddSlashCommand<IncidentCommand>(IncidentCommand.Command)
            .AddViewSubmission<NewIncidentModal>(NewIncidentModal.CallbackId)
            .AddBlockAction<ChannelFailedButtons>(ChannelFailedMessage.RetryAction)
            .AddBlockAction<ChannelFailedButtons>(ChannelFailedMessage.CancelAction);
        return services;
    }
}
