using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Bot.Slack.Testing;

/// <summary>
/// A Slack workspace on loopback: the Web API at <see cref="ApiUrl"/> (validated against Slack's OpenAPI spec,
/// with state that behaves like Slack's), response_url endpoints, file uploads and a Socket Mode server.
/// Every call is recorded; failures can be injected per method.
/// <code>await using var slack = await FakeSlack.StartAsync();</code>
/// </summary>
public sealed partial class FakeSlack : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly FakeSlackOptions _options;
    private readonly OpenApiSpec _spec = OpenApiSpec.Load();
    private readonly TimeProvider _time;

    /// <summary>All state and recordings are guarded by this one lock; handlers are short and synchronous.</summary>
    private readonly Lock _gate = new();

    private readonly CancellationTokenSource _stopping = new();
    private readonly Dictionary<string, Func<SlackArgs, JsonObject>> _handlers = new(StringComparer.Ordinal);

    private FakeSlack(WebApplication app, FakeSlackOptions options)
    {
        _app = app;
        _options = options;
        _time = options.TimeProvider;
        RegisterAuth();
        RegisterChat();
        RegisterConversations();
        RegisterUsers();
        RegisterViews();
        RegisterPins();
        RegisterFiles();
        RegisterApps();
        RegisterReactions();
        SeedBotUser();
    }

    /// <summary>http://127.0.0.1:port/ (no path).</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>What the client uses as its Slack API base (SlackOptions.ApiUrl): http://127.0.0.1:port/api/.</summary>
    public string ApiUrl => BaseUrl + "api/";

    public string BotToken => _options.BotToken;
    public string AppToken => _options.AppToken;
    public string TeamId => _options.TeamId;
    public string BotUserId => _options.BotUserId;
    public string BotId => _options.BotId;
    public string AppId => _options.AppId;

    /// <summary>Added to every Web API call (a slow Slack).</summary>
    public TimeSpan Latency { get; set; }

    public static async Task<FakeSlack> StartAsync(FakeSlackOptions? options = null, CancellationToken ct = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        // Requests still waiting in an injected delay must not hold up a test's dispose.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
        var app = builder.Build();
        var fake = new FakeSlack(app, options ?? new FakeSlackOptions());
        fake.MapRoutes(app);
        await app.StartAsync(ct);
        var address = app.Urls.First();
        fake.BaseUrl = address.TrimEnd('/') + "/";
        return fake;
    }

    private void MapRoutes(WebApplication app)
    {
        app.UseWebSockets();
        app.Map("/api/{method}", (HttpContext ctx, string method) => HandleApi(ctx, method));
        app.MapPost("/response/{id}", (HttpContext ctx, string id) => HandleResponseUrl(ctx, id));
        app.MapPost("/upload/{fileId}", (HttpContext ctx, string fileId) => HandleUpload(ctx, fileId));
        app.Map("/socket", HandleSocket);
    }

    /// <summary>Replaces the fake's answer for a method (after auth and spec validation), e.g. to script a
    /// response for a spec method the fake does not model. Return ok:true/false yourself or throw
    /// <see cref="SlackErrorException"/>.</summary>
    public void Handle(string method, Func<SlackArgs, JsonObject> handler)
    {
        lock (_gate) _handlers[method] = handler;
    }

    private async Task HandleApi(HttpContext ctx, string method)
    {
        var (args, bodyToken, isJson, readError) = await SlackArgs.Read(ctx.Request);
        if (!await Wait(Latency, ctx, method, args)) return;

        var spec = _spec.Find(method);
        if (spec is null)
        {
            await Answer(ctx, method, args, 200, Fail("unknown_method"));
            return;
        }
        if (readError is not null)
        {
            await Answer(ctx, method, args, 200, Fail(readError));
            return;
        }

        var authError = CheckAuth(method, ctx.Request, bodyToken, isJson);
        if (authError is not null)
        {
            await Answer(ctx, method, args, 200, Fail(authError));
            return;
        }

        if (OverLimit(method, args) is { } retryAfter)
        {
            ctx.Response.Headers.RetryAfter = retryAfter.ToString();
            await Answer(ctx, method, args, 429, Fail("ratelimited"));
            return;
        }

        switch (TakeOutageFailure(method, args) ?? TakeFailure(method))
        {
            case AppliedThenFailure lost:
                await AppliedButLost(ctx, method, args, spec, isJson, lost.Answer);
                return;
            case RateLimitedFailure r:
                ctx.Response.Headers.RetryAfter = r.RetryAfterSeconds.ToString();
                await Answer(ctx, method, args, 429, Fail("ratelimited"));
                return;
            case ErrorFailure e:
                await Answer(ctx, method, args, 200, Fail(e.Code));
                return;
            case ServerErrorFailure s:
                Record(method, args, s.Status, null);
                ctx.Response.StatusCode = s.Status;
                ctx.Response.ContentType = "text/html";
                await ctx.Response.WriteAsync("<html><body>Internal Server Error</body></html>");
                return;
            case DelayFailure d:
                if (!await Wait(d.Duration, ctx, method, args)) return;
                break;
        }
        await Perform(ctx, method, args, spec, isJson);
    }

    /// <summary>Performs the call (state changes, the call recorded as answered), then loses the answer: the caller
    /// gets <paramref name="answer"/> instead, and the recorded call is marked Lost.</summary>
    private async Task AppliedButLost(HttpContext ctx, string method, SlackArgs args, SpecMethod spec, bool isJson, Failure answer)
    {
        var real = ctx.Features.Get<IHttpResponseBodyFeature>()!;
        ctx.Features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(Stream.Null));
        try
        {
            await Perform(ctx, method, args, spec, isJson);
        }
        finally
        {
            ctx.Features.Set(real);
        }
        lock (_gate)
        {
            var i = _calls.FindLastIndex(c => ReferenceEquals(c.Args, args));
            if (i >= 0) _calls[i] = _calls[i] with { Lost = true };
        }
        ctx.Response.Headers.Clear();
        if (answer is DelayFailure d && !await Wait(d.Duration, ctx, method, args, record: false)) return;
        ctx.Response.StatusCode = answer is ServerErrorFailure s ? s.Status : 504;
        ctx.Response.ContentType = "text/html";
        await ctx.Response.WriteAsync("<html><body>Gateway Timeout</body></html>");
    }

    private async Task Perform(HttpContext ctx, string method, SlackArgs args, SpecMethod spec, bool isJson)
    {
        // Slack checks the token's scopes before the arguments.
        JsonObject? scopeError;
        lock (_gate) scopeError = method != "apps.connections.open" && MissingScope(method, args) is { } needed ? MissingScopeBody(needed) : null;
        if (scopeError is not null)
        {
            await Answer(ctx, method, args, 200, scopeError);
            return;
        }

        if (isJson && !spec.AcceptsJson && args.Values.Count > 0)
        {
            // Slack's read methods ignore a JSON body; say so instead of answering as if no argument was sent.
            await Answer(ctx, method, args, 200, Fail("invalid_arguments",
                $"[ERROR] {method} does not accept a JSON body; send its arguments as form fields or a query"));
            return;
        }

        var missing = spec.Required.Where(r => !args.Has(r)).ToList();
        if (missing.Count > 0)
        {
            await Answer(ctx, method, args, 200, Fail("invalid_arguments",
                missing.Select(m => $"[ERROR] missing required field: {m}").ToArray()));
            return;
        }

        JsonObject body;
        lock (_gate)
        {
            try
            {
                body = _handlers.TryGetValue(method, out var handler)
                    ? handler(args)
                    : Fail("fake_not_implemented", $"[ERROR] FakeSlack does not model {method}; script it with slack.Handle(\"{method}\", ...)");
            }
            catch (SlackErrorException e)
            {
                body = Fail(e.Error, [.. e.Messages]);
            }
            catch (SlackResponseException e)
            {
                body = e.Body;
            }
            catch (Exception e) when (e is InvalidOperationException or FormatException or ArgumentException or KeyNotFoundException)
            {
                // A request the fake's handler could not make sense of; answered, not turned into a 500.
                body = Fail("invalid_arguments", $"[ERROR] {e.Message}");
            }
        }
        await Answer(ctx, method, args, 200, body);
    }

    /// <summary>A slow Slack. A client that gives up meanwhile is recorded with status 499 (its timeout).</summary>
    private async Task<bool> Wait(TimeSpan delay, HttpContext ctx, string method, SlackArgs args, bool record = true)
    {
        if (delay <= TimeSpan.Zero) return true;
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted, _stopping.Token);
        try
        {
            await Task.Delay(delay, cancel.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            if (record) Record(method, args, 499, null);
            return false;
        }
    }

    private string? CheckAuth(string method, HttpRequest request, string? bodyToken, bool isJson)
    {
        if (method == "api.test") return null;
        string? token = null;
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.Ordinal)) token = header["Bearer ".Length..].Trim();
        else if (!isJson) token = bodyToken;
        if (string.IsNullOrEmpty(token)) return "not_authed";
        if (token != BotToken && token != AppToken) return "invalid_auth";
        if (token == BotToken && RefusedBotToken() is { } refused) return refused;
        // App-level tokens only open Socket Mode connections; bot tokens cannot.
        var appOnly = method == "apps.connections.open";
        if (appOnly != (token == AppToken)) return "not_allowed_token_type";
        return null;
    }

    private async Task Answer(HttpContext ctx, string method, SlackArgs args, int status, JsonObject body)
    {
        Record(method, args, status, body);
        ctx.Response.StatusCode = status;
        // Slack tells every caller what its token may do.
        if (method != "apps.connections.open" && _options.BotScopes is { } scopes)
            ctx.Response.Headers["x-oauth-scopes"] = string.Join(",", scopes);
        ctx.Response.ContentType = "application/json; charset=utf-8";
        await ctx.Response.WriteAsync(body.ToJsonString());
    }

    internal static JsonObject Fail(string error, params string[] messages)
    {
        var body = new JsonObject { ["ok"] = false, ["error"] = error };
        if (messages.Length > 0)
            body["response_metadata"] = new JsonObject { ["messages"] = new JsonArray([.. messages.Select(m => JsonValue.Create(m))]) };
        return body;
    }

    internal static JsonObject Ok(JsonObject? fields = null)
    {
        var body = new JsonObject { ["ok"] = true };
        if (fields is not null)
            foreach (var (k, v) in fields.ToList())
            {
                fields.Remove(k);
                body[k] = v;
            }
        return body;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        AbortSockets();
        _appHttp.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
