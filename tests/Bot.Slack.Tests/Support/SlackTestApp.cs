using System.Net.Http.Headers;
using System.Text;
using Bot.Slack.Dispatch;
using Bot.Slack.Signing;
using Bot.Slack.WebApi;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bot.Slack.Tests.Support;

/// <summary>A minimal WebApplication with the Slack endpoints on 127.0.0.1 (a free port), plus a client that
/// signs requests the way Slack does.</summary>
public sealed class SlackTestApp : IAsyncDisposable
{
    public const string Secret = "test-signing-secret";

    private readonly WebApplication _app;

    private SlackTestApp(WebApplication app, Uri baseAddress)
    {
        _app = app;
        Client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(20) };
    }

    public HttpClient Client { get; }
    public Uri BaseAddress => Client.BaseAddress!;
    public IServiceProvider Services => _app.Services;
    public Probe Probe => _app.Services.GetRequiredService<Probe>();
    public RecordingSlackApi SlackApi => _app.Services.GetRequiredService<RecordingSlackApi>();
    public ListLoggerProvider Logs { get; private init; } = new();

    /// <param name="realSlackApi">Keep the real Web API client (point SlackOptions.ApiUrl at a FakeSlack)
    /// instead of the recording stub.</param>
    public static async Task<SlackTestApp> Start(Action<SlackBuilder> handlers, Action<SlackOptions>? configure = null,
        bool realSlackApi = false)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var logs = new ListLoggerProvider();
        builder.Logging.ClearProviders().AddProvider(logs).SetMinimumLevel(LogLevel.Debug);
        builder.Services.AddSingleton<Probe>();
        builder.Services.AddScoped<ScopedThing>();
        handlers(builder.Services.AddSlack(o =>
        {
            o.SigningSecret = Secret;
            configure?.Invoke(o);
        }));
        builder.Services.AddSingleton<RecordingSlackApi>();
        if (!realSlackApi) builder.Services.AddSingleton<ISlackApi>(sp => sp.GetRequiredService<RecordingSlackApi>());
        var app = builder.Build();
        app.MapSlack();
        await app.StartAsync();
        var address = app.Urls.First();
        return new SlackTestApp(app, new Uri(address)) { Logs = logs };
    }

    public Task<HttpResponseMessage> PostSigned(string path, string body, string contentType,
        Action<HttpRequestMessage>? tweak = null, string secret = Secret, DateTimeOffset? at = null) =>
        PostSigned(path, Encoding.UTF8.GetBytes(body), contentType, tweak, secret, at);

    public Task<HttpResponseMessage> PostSigned(string path, byte[] body, string contentType,
        Action<HttpRequestMessage>? tweak = null, string secret = Secret, DateTimeOffset? at = null)
    {
        var timestamp = (at ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds().ToString();
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        request.Headers.Add(SlackSignatureVerifier.TimestampHeader, timestamp);
        request.Headers.Add(SlackSignatureVerifier.SignatureHeader, SlackSignatureVerifier.Sign(secret, timestamp, body));
        tweak?.Invoke(request);
        return Client.SendAsync(request);
    }

    public Task<HttpResponseMessage> PostEvent(string json, Action<HttpRequestMessage>? tweak = null) =>
        PostSigned("/slack/events", json, "application/json", tweak);

    public Task<HttpResponseMessage> PostCommand(string command, string text, string responseUrl = "https://hooks.example/commands/1") =>
        PostSigned("/slack/commands",
            $"command={Uri.EscapeDataString(command)}&text={Uri.EscapeDataString(text)}&team_id=T1&user_id=U1&channel_id=C1&response_url={Uri.EscapeDataString(responseUrl)}&trigger_id=1.2.3",
            "application/x-www-form-urlencoded");

    public Task<HttpResponseMessage> PostInteraction(string payloadJson) =>
        PostSigned("/slack/interactivity", "payload=" + Uri.EscapeDataString(payloadJson), "application/x-www-form-urlencoded");

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
