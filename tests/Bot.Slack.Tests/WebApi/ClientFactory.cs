using Bot.Slack.WebApi;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Slack.Tests.WebApi;

/// <summary>Builds the client the way the app does (AddSlackWebApi), pointed at a loopback server,
/// with small retry waits so failure tests stay quick.</summary>
public static class ClientFactory
{
    public const string Token = "xoxb-test-token-123";

    public static (ISlackApi Api, ServiceProvider Services) Create(string apiUrl, TimeProvider? time = null,
        Action<SlackWebApiOptions>? configure = null)
    {
        var services = new ServiceCollection();
        if (time is not null) services.AddSingleton(time);
        services.Configure<SlackOptions>(o =>
        {
            o.ApiUrl = apiUrl;
            o.BotToken = Token;
        });
        services.Configure<SlackWebApiOptions>(o =>
        {
            o.InitialBackoff = TimeSpan.FromMilliseconds(5);
            o.MaxBackoff = TimeSpan.FromMilliseconds(20);
            o.MaxRetries = 2;
            o.MaxRateLimitedRetries = 2;
            configure?.Invoke(o);
        });
        services.AddSlackWebApi();
        var sp = services.BuildServiceProvider();
        return (sp.GetRequiredService<ISlackApi>(), sp);
    }
}
