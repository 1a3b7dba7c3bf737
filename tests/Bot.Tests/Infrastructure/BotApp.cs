using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Bot.Hosting;
using Bot.Slack.Signing;
using Bot.Slack.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bot.Tests.Infrastructure;

/// <summary>The real bot (BotHost.Build) on Kestrel at 127.0.0.1:0, against a test database and a fake
/// Slack Web API, with a Hangfire schema of its own unless one is given (two instances sharing one
/// database pass the same schema). Sends Slack-signed requests like Slack would.</summary>
public sealed class BotApp : IAsyncDisposable
{
    public const string SigningSecret = "8f742231b10e8888abcd99yyyzzz85a5";
    public const string BotToken = "xoxb-test-bot-token";
    public const string DefaultTeamId = "T0TEST";

    public WebApplication App { get; }
    public IServiceProvider Services => App.Services;
    public HttpClient Http { get; }
    public Uri BaseAddress { get; }
    public string HangfireSchema { get; }
    public string SlackApiUrl { get; }

    /// <summary>The fake Slack this app talks to, when started with one.</summary>
    public FakeSlack? Slack { get; private init; }

    /// <summary>Time used for request timestamps; tests of stale requests can move it.</summary>
    public Func<DateTimeOffset> Clock { get; set; } = () => DateTimeOffset.UtcNow;

    private BotApp(WebApplication app, Uri baseAddress, string hangfireSchema, string slackApiUrl)
    {
        App = app;
        BaseAddress = baseAddress;
        HangfireSchema = hangfireSchema;
        SlackApiUrl = slackApiUrl;
        Http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>The app against a running FakeSlack (its Web API URL and bot token).</summary>
    public static async Task<BotApp> Start(
        string connectionString,
        FakeSlack slack,
        IDictionary<string, string?>? settings = null,
        Action<WebApplicationBuilder>? configure = null,
        string? hangfireSchema = null)
    {
        var all = new Dictionary<string, string?> { [SlackSettings.BotTokenKey] = slack.BotToken };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            all[key] = value;
        var (app, address, schema) = await Launch(connectionString, slack.ApiUrl, all, configure, hangfireSchema);
        return new BotApp(app, address, schema, slack.ApiUrl) { Slack = slack, TeamIdValue = slack.TeamId };
    }

    public string TeamId => TeamIdValue;
    private string TeamIdValue { get; init; } = DefaultTeamId;

    /// <param name="settings">Extra configuration keys (e.g. "Bot:Hangfire:WorkerCount"); they win over everything.</param>
    /// <param name="configure">Last word on the builder: replace services (FakeTimeProvider, ...).</param>
    public static async Task<BotApp> Start(
        string connectionString,
        string slackApiUrl,
        IDictionary<string, string?>? settings = null,
        Action<WebApplicationBuilder>? configure = null,
        string? hangfireSchema = null)
    {
        var (app, address, schema) = await Launch(connectionString, slackApiUrl, settings, configure, hangfireSchema);
        return new BotApp(app, address, schema, slackApiUrl);
    }

    private static async Task<(WebApplication App, Uri Address, string Schema)> Launch(
        string connectionString,
        string slackApiUrl,
        IDictionary<string, string?>? settings,
        Action<WebApplicationBuilder>? configure,
        string? hangfireSchema)
    {
        hangfireSchema ??= $"hangfire_{Guid.NewGuid():N}"[..21];
        var values = new Dictionary<string, string?>
        {
            // Blank the Bolt-style names so the developer's own environment cannot leak in.
            [SlackSettings.BotTokenKey] = BotToken,
            [SlackSettings.SigningSecretKey] = SigningSecret,
            [SlackSettings.AppTokenKey] = "",
            [SlackSettings.ApiUrlKey] = slackApiUrl,
            [DatabaseSettings.DatabaseUrlKey] = "",
            [$"ConnectionStrings:{DatabaseSettings.ConnectionStringName}"] = connectionString,
            ["Bot:Hangfire:Schema"] = hangfireSchema,
            ["Bot:Hangfire:PollInterval"] = "00:00:00.200",
            ["Bot:Hangfire:WorkerCount"] = "4",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            values[key] = value;

        var app = BotHost.Build([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(values);
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            // BOT_TEST_LOGS=1 shows the apps' warnings and errors (Hangfire job failures, ...) in the test output.
            if (Environment.GetEnvironmentVariable("BOT_TEST_LOGS") != "1")
                builder.Logging.ClearProviders();
            configure?.Invoke(builder);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return (app, new Uri(address), hangfireSchema);
    }

    /// <summary>POST /slack/events with an Events API body, as Slack sends it (retries carry X-Slack-Retry-*).</summary>
    public Task<HttpResponseMessage> PostEvent(string json, int? retryNum = null, string retryReason = "http_timeout")
    {
        var request = Signed("/slack/events", json, "application/json");
        if (retryNum is { } n)
        {
            request.Headers.Add("X-Slack-Retry-Num", n.ToString());
            request.Headers.Add("X-Slack-Retry-Reason", retryReason);
        }
        return Http.SendAsync(request);
    }

    /// <summary>POST /slack/commands with the form Slack sends for a slash command.</summary>
    public Task<HttpResponseMessage> PostCommand(string command, string text, string userId, string channelId,
        string channelName = "general", string? triggerId = null)
    {
        var form = new Dictionary<string, string>
        {
            ["token"] = "deprecated-verification-token",
            ["team_id"] = TeamId,
            ["team_domain"] = "test",
            ["channel_id"] = channelId,
            ["channel_name"] = channelName,
            ["user_id"] = userId,
            ["user_name"] = userId.ToLowerInvariant(),
            ["command"] = command,
            ["text"] = text,
            ["api_app_id"] = "A0TEST",
            ["is_enterprise_install"] = "false",
            ["response_url"] = Slack?.ResponseUrl() ?? new Uri(new Uri(SlackApiUrl), $"/response/{Guid.NewGuid():N}").ToString(),
            ["trigger_id"] = triggerId ?? $"trigger.{Guid.NewGuid():N}",
        };
        return Http.SendAsync(Signed("/slack/commands", Form(form), "application/x-www-form-urlencoded"));
    }

    /// <summary>POST /slack/interactivity with the JSON payload in the form field "payload".</summary>
    public Task<HttpResponseMessage> PostInteractivity(string payloadJson) =>
        Http.SendAsync(Signed("/slack/interactivity", Form(new Dictionary<string, string> { ["payload"] = payloadJson }),
            "application/x-www-form-urlencoded"));

    /// <summary>An event_callback envelope around an inner event object.</summary>
    public string EventEnvelope(object innerEvent, string? eventId = null) =>
        JsonSerializer.Serialize(new
        {
            token = "deprecated-verification-token",
            team_id = TeamId,
            api_app_id = "A0TEST",
            @event = innerEvent,
            type = "event_callback",
            event_id = eventId ?? $"Ev{Guid.NewGuid():N}"[..14].ToUpperInvariant(),
            event_time = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        });

    public HttpRequestMessage Signed(string path, string body, string contentType)
    {
        var timestamp = Clock().ToUnixTimeSeconds();
        var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(body, Encoding.UTF8),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        request.Headers.Add("X-Slack-Request-Timestamp", timestamp.ToString());
        request.Headers.Add(SlackSignatureVerifier.SignatureHeader,
            SlackSignatureVerifier.Sign(SigningSecret, timestamp.ToString(), Encoding.UTF8.GetBytes(body)));
        return request;
    }

    private static string Form(IReadOnlyDictionary<string, string> fields) =>
        string.Join("&", fields.Select(kv => $"{Uri.EscapeDataString(kv.Key)}={Uri.EscapeDataString(kv.Value)}"));

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
