using Bot.Slack.Diagnostics;
using Bot.Slack.Dispatch;
using Bot.Slack.Signing;
using Bot.Slack.SocketMode;
using Bot.Slack.WebApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Bot.Slack;

public static class SlackServiceCollectionExtensions
{
    /// <summary>Registers the Slack layer: signature check, dispatch, the after-ack work queue and its inbox (in memory
    /// unless the app registers its own <see cref="ISlackInbox"/>), the Socket Mode
    /// client (runs only when SlackOptions.UseSocketMode) and the Web API client. Map the HTTP endpoints with
    /// <c>app.MapSlack()</c>. Calling it again adds to the same handler registry.</summary>
    public static SlackBuilder AddSlack(this IServiceCollection services, Action<SlackOptions>? configure = null)
    {
        if (configure is not null) services.Configure(configure);
        else services.AddOptions<SlackOptions>();

        var registry = services.FirstOrDefault(d => d.ServiceType == typeof(SlackHandlerRegistry))?.ImplementationInstance
            as SlackHandlerRegistry;
        if (registry is null)
        {
            registry = new SlackHandlerRegistry();
            services.AddSingleton(registry);
            services.TryAddSingleton(TimeProvider.System);
            services.AddLogging();
            services.AddSingleton<SlackSignatureVerifier>();
            services.AddSingleton<SlackWorkQueue>();
            services.TryAddSingleton<ISlackInbox, InMemorySlackInbox>();
            services.AddSingleton<SlackInboxRetries>();
            services.AddSingleton<SlackDispatcher>();
            // Before the queue's service: hosted services stop in reverse order, so the inbox hands its rows over
            // only once the queue has drained.
            services.AddHostedService<SlackInboxReplayService>();
            services.AddHostedService<SlackWorkQueueService>();
            services.AddSingleton<SocketModeStatus>();
            services.AddHttpClient(SocketModeClient.HttpClientName);
            services.AddHostedService<SocketModeClient>();
            services.AddSlackWebApi();
        }
        return new SlackBuilder(services, registry);
    }
}
