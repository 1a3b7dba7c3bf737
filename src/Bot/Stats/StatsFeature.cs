namespace Bot.Stats;

public static class StatsFeature
{
    /// <summary><c>/incident stats</c>: the figures, the message and the chart job.</summary>
    public static IServiceCollection AddStats(this IServiceCollection services)
    {
        services.AddScoped<IncidentStats>();
        services.AddScoped<StatsRequests>();
        services.AddScoped<StatsCommand>();
        services.AddScoped<StatsChartJob>();
        return services;
    }
}
