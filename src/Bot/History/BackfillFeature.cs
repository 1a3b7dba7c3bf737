using Bot.Jobs;

namespace Bot.History;

public static class BackfillFeature
{
    /// <summary>/incident backfill (dispatched by IncidentCommand) and its job.</summary>
    public static IServiceCollection AddBackfill(this IServiceCollection services)
    {
        services.AddScoped<BackfillStore>();
        services.AddScoped<BackfillCommand>();
        services.AddScoped<BackfillJob>();
        services.AddScoped<IJobGaveUp, BackfillGaveUp>();
        return services;
    }
}
