using Microsoft.Extensions.DependencyInjection;

namespace Bot.Slack.WebApi;

public static class WebApiServiceCollectionExtensions
{
    /// <summary>Registers ISlackApi (the typed client with limiter and retries). Called by AddSlack.</summary>
    public static IServiceCollection AddSlackWebApi(this IServiceCollection services)
    {
        // Filled in by the Web API client change.
        return services;
    }
}
