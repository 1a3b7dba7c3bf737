using Bot.Hosting;
using Bot.Slack;
using Bot.Slack.Dispatch;
using Microsoft.Extensions.Options;

namespace Bot.Inbox;

public static class InboxFeature
{
    /// <summary>After-ack Slack work is stored in PostgreSQL before the ack (instead of Bot.Slack's in-memory default),
    /// so a crash after the ack loses nothing.</summary>
    public static IServiceCollection AddSlackInbox(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddBotOptions<InboxOptions>(configuration, InboxOptions.SectionName);
        services.AddSingleton<PostgresSlackInbox>();
        services.AddSingleton<ISlackInbox>(sp => sp.GetRequiredService<PostgresSlackInbox>());
        services.AddOptions<SlackOptions>().Configure<IOptions<InboxOptions>>((slack, inbox) => slack.InboxPollInterval = inbox.Value.PollInterval);
        return services;
    }
}
