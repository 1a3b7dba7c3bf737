using Bot.Slack.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Slack;

public static class SlackEndpointRouteBuilderExtensions
{
    /// <summary>Maps POST {prefix}/events, {prefix}/commands and {prefix}/interactivity (the Request URLs in the
    /// app manifest). Every request is signature-checked before it is parsed.</summary>
    public static RouteGroupBuilder MapSlack(this IEndpointRouteBuilder endpoints, string prefix = "/slack")
    {
        if (endpoints.ServiceProvider.GetService<Dispatch.SlackDispatcher>() is null)
            throw new InvalidOperationException("app.MapSlack() needs services.AddSlack(...) first.");
        var handler = ActivatorUtilities.CreateInstance<SlackHttpHandler>(endpoints.ServiceProvider);
        var group = endpoints.MapGroup(prefix);
        group.MapPost("/events", (HttpContext http) => handler.Events(http));
        group.MapPost("/commands", (HttpContext http) => handler.Commands(http));
        group.MapPost("/interactivity", (HttpContext http) => handler.Interactivity(http));
        return group;
    }
}
