using Bot.Slack.Diagnostics;
using Bot.Slack.WebApi.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Bot.Slack.WebApi;

public static class WebApiServiceCollectionExtensions
{
    /// <summary>Registers ISlackApi (the typed client with limiter and retries). Called by AddSlack.
    /// Reads IOptions&lt;SlackOptions&gt; (ApiUrl, BotToken) and IOptions&lt;SlackWebApiOptions&gt; (retries, pacing).</summary>
    public static IServiceCollection AddSlackWebApi(this IServiceCollection services)
    {
        services.AddOptions<SlackOptions>();
        services.AddOptions<SlackWebApiOptions>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddLogging();
        services.AddMetrics();
        services.TryAddSingleton<SlackMetrics>();
        // The default HttpClient logging writes every request URL; response_url and upload URLs are
        // capabilities (whoever has one can post), so only the client's own logs (method names) are kept.
        services.AddHttpClient(SlackApiClient.HttpClientName).RemoveAllLoggers();
        // One limiter and one client for the process: the limiter's buckets must see every call.
        services.TryAddSingleton<SlackRateLimiter>();
        services.TryAddSingleton<SlackApiClient>();
        services.TryAddSingleton<ISlackApi>(sp => sp.GetRequiredService<SlackApiClient>());
        return services;
    }
}
