using Bot.Slack;
using Bot.Slack.Dispatch;
using Bot.Slack.Events;

namespace Bot.Home;

public static class HomeFeature
{
    /// <summary>The app's Home tab.</summary>
    public static IServiceCollection AddHome(this IServiceCollection services)
    {
        services.AddSlack().AddEventHandler<AppHomeOpenedEvent, AppHomeTab>();
        return services;
    }
}
