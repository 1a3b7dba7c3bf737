using Bot.Slack;
using Bot.Slack.Dispatch;
using Bot.Slack.Events;

namespace Bot.Home;

public static class HomeFeature
{
    /// <summary>The app's Home tab: published when opened, republished (coalesced, per person) when what it shows changes.</summary>
    public static IServiceCollection AddHome(this IServiceCollection services)
    {
        services.AddScoped<HomeViews>();
        services.AddScoped<HomeQueries>();
        services.AddScoped<HomeContents>();
        services.AddScoped<HomeRefresh>();
        services.AddScoped<HomeRefreshJob>();
        services.AddSlack().AddEventHandler<AppHomeOpenedEvent, AppHomeTab>();
        return services;
    }
}
