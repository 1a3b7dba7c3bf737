using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Bot.Slack.Tests.WebApi;

/// <summary>A scripted HTTP server on 127.0.0.1 for the client's mechanics (retries, pacing, encoding):
/// each path answers from its queue of scripted replies, then from its default, and every request is recorded.</summary>
public sealed class StubSlackServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, ConcurrentQueue<Reply>> _scripts = new();
    private readonly ConcurrentDictionary<string, Func<StubRequest, Reply>> _defaults = new();
    private readonly ConcurrentQueue<StubRequest> _requests = new();

    private StubSlackServer(WebApplication app) => _app = app;

    public string BaseUrl { get; private set; } = "";
    public string ApiUrl => BaseUrl + "api/";

    public IReadOnlyList<StubRequest> Requests => _requests.ToList();
    public IReadOnlyList<StubRequest> CallsTo(string path) => _requests.Where(r => r.Path == path).ToList();

    public static async Task<StubSlackServer> Start()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new StubSlackServer(app);
        app.Run(server.Serve);
        await app.StartAsync();
        var address = app.Urls.First();
        server.BaseUrl = address.TrimEnd('/') + "/";
        return server;
    }

    /// <summary>Answers path (e.g. "api/chat.postMessage") with reply once, before anything already queued runs out.</summary>
    public void Enqueue(string path, params Reply[] replies)
    {
        var q = _scripts.GetOrAdd(path, _ => new());
        foreach (var r in replies) q.Enqueue(r);
    }

    public void Default(string path, Func<StubRequest, Reply> reply) => _defaults[path] = reply;

    public void Default(string path, Reply reply) => _defaults[path] = _ => reply;

    private async Task Serve(HttpContext ctx)
    {
        var path = ctx.Request.Path.Value!.TrimStart('/');
        using var reader = new StreamReader(ctx.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        var request = new StubRequest(path, ctx.Request.ContentType, ctx.Request.Headers.Authorization.ToString(), body);
        _requests.Enqueue(request);

        var reply = _scripts.TryGetValue(path, out var q) && q.TryDequeue(out var scripted) ? scripted
            : _defaults.TryGetValue(path, out var d) ? d(request)
            : Reply.Json(new JsonObject { ["ok"] = false, ["error"] = "unknown_method" });

        if (reply.Delay > TimeSpan.Zero) await Task.Delay(reply.Delay, ctx.RequestAborted).ContinueWith(_ => { });
        if (reply.Abort)
        {
            ctx.Abort();
            return;
        }
        ctx.Response.StatusCode = reply.Status;
        foreach (var (k, v) in reply.Headers) ctx.Response.Headers[k] = v;
        if (reply.Body is not null)
        {
            ctx.Response.ContentType = reply.ContentType;
            await ctx.Response.WriteAsync(reply.Body);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

public sealed record StubRequest(string Path, string? ContentType, string Authorization, string Body)
{
    public string Method => Path.StartsWith("api/", StringComparison.Ordinal) ? Path[4..] : Path;

    public JsonNode Json => JsonNode.Parse(Body)!;

    public IReadOnlyDictionary<string, string> Form =>
        Body.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .ToDictionary(p => Uri.UnescapeDataString(p[0].Replace('+', ' ')), p => p.Length > 1 ? Uri.UnescapeDataString(p[1].Replace('+', ' ')) : "");
}

public sealed record Reply
{
    public int Status { get; init; } = 200;
    public string? Body { get; init; }
    public string ContentType { get; init; } = "application/json; charset=utf-8";
    public Dictionary<string, string> Headers { get; init; } = [];
    public TimeSpan Delay { get; init; }
    public bool Abort { get; init; }

    public static Reply Json(JsonObject body) => new() { Body = body.ToJsonString() };
    public static Reply Ok(JsonObject? fields = null)
    {
        var o = new JsonObject { ["ok"] = true };
        foreach (var (k, v) in fields ?? []) o[k] = v?.DeepClone();
        return Json(o);
    }
    public static Reply Error(string error) => Json(new JsonObject { ["ok"] = false, ["error"] = error });
    public static Reply Status500(int status = 500) => new() { Status = status, Body = "oops", ContentType = "text/plain" };
    public static Reply RateLimited(string retryAfter) => new()
    {
        Status = 429,
        Body = "{\"ok\":false,\"error\":\"ratelimited\"}",
        Headers = new() { ["Retry-After"] = retryAfter },
    };
    public static Reply Dropped() => new() { Abort = true };
    public static Reply Text(string text) => new() { Body = text, ContentType = "text/plain" };
}
