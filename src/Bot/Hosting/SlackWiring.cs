using Bot.Inbox;
using Bot.Slack;

namespace Bot.Hosting;

/// <summary>The Slack layer's wiring point: services.AddSlack(...) and app.MapSlack() from Bot.Slack
/// (HTTP endpoints, or Socket Mode when an app token is set), with the PostgreSQL inbox that makes after-ack work
/// survive a crash.</summary>
internal static class SlackWiring
{
    public static void Add(WebApplicationBuilder builder, SlackOptions slack)
    {
        // SlackOptions are configured by BotHost from the validated settings.
        builder.Services.AddSlack();
        // After AddSlack: replaces its in-memory inbox with the durable one.
        builder.Services.AddSlackInbox(builder.Configuration);
        builder.Services.AddSingleton<SlackAuthProbe>();
    }

    public static void Map(WebApplication app)
    {
        app.MapSlack();
    }
}
