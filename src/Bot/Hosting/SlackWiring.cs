using Bot.Slack;

namespace Bot.Hosting;

/// <summary>The Slack layer's wiring point: services.AddSlack(...) and app.MapSlack() from Bot.Slack
/// (HTTP endpoints, or Socket Mode when an app token is set).</summary>
internal static class SlackWiring
{
    public static void Add(WebApplicationBuilder builder, SlackOptions slack)
    {
        // SlackOptions are configured by BotHost from the validated settings.
        builder.Services.AddSlack();
        builder.Services.AddSingleton<SlackAuthProbe>();
    }

    public static void Map(WebApplication app)
    {
        app.MapSlack();
    }
}
