using System.Text.Json.Nodes;
using Bot.Slack.Handlers;
using Bot.Slack.Tests.Support;
using Bot.Slack.WebApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bot.Slack.Tests.WebApi;

public sealed class LoggingTests
{
    [Fact]
    public async Task NeitherTheTokenNorCapabilityUrls_AreLogged_EvenWhenCallsFailAndRetry()
    {
        await using var server = await StubSlackServer.Start();
        server.Enqueue("api/auth.test", Reply.Status500(), Reply.RateLimited("0"));
        server.Default("api/auth.test", Reply.Ok(new JsonObject { ["user_id"] = "U1" }));
        server.Enqueue("hooks/T1/secret-hook", Reply.Status500());
        server.Default("hooks/T1/secret-hook", Reply.Ok());
        var logs = new ListLoggerProvider();

        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        services.Configure<SlackOptions>(o => { o.ApiUrl = server.ApiUrl; o.BotToken = ClientFactory.Token; });
        services.Configure<SlackWebApiOptions>(o => { o.InitialBackoff = TimeSpan.FromMilliseconds(5); });
        services.AddSlackWebApi();
        await using var sp = services.BuildServiceProvider();
        var api = sp.GetRequiredService<ISlackApi>();

        await api.Auth.Test();
        await api.Respond(server.BaseUrl + "hooks/T1/secret-hook", MessageResponse.Ephemeral("x"));

        // The exception text counts too: a token in an exception message would be written out with it.
        var messages = logs.Entries.Select(e => e.Message + " " + e.Exception).ToList();
        Assert.Contains(messages, m => m.Contains("auth.test")); // the retries were logged...
        Assert.DoesNotContain(messages, m => m.Contains(ClientFactory.Token)); // ...without the token
        Assert.DoesNotContain(messages, m => m.Contains("secret-hook"));
    }
}
