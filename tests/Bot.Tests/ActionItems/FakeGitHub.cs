using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Bot.Tests.ActionItems;

/// <summary>GitHub's "create an issue" endpoint on loopback: POST /repos/{owner}/{repo}/issues with a bearer token,
/// 201 with number and html_url; 401 for a wrong token, 422 without a title, 500 for a title containing "FAIL".</summary>
public sealed class FakeGitHub : IAsyncDisposable
{
    public sealed record Request(string Owner, string Repo, string? Authorization, string? Accept, string? ApiVersion, string? UserAgent, JsonObject Body);

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Request> _requests = new();
    private int _number;

    public string Token { get; }
    public string Url { get; private set; } = "";
    public IReadOnlyList<Request> Requests => _requests.ToList();

    private FakeGitHub(string token)
    {
        Token = token;
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.MapPost("/repos/{owner}/{repo}/issues", async (HttpContext ctx, string owner, string repo) =>
        {
            var body = (await JsonNode.ParseAsync(ctx.Request.Body))?.AsObject() ?? new JsonObject();
            var h = ctx.Request.Headers;
            _requests.Enqueue(new Request(owner, repo, h.Authorization, h.Accept, h["X-GitHub-Api-Version"], h.UserAgent, body));
            if (h.Authorization != $"Bearer {Token}") return Results.Json(new { message = "Bad credentials" }, statusCode: 401);
            var title = body["title"]?.ToString();
            if (string.IsNullOrEmpty(title)) return Results.Json(new { message = "Validation Failed" }, statusCode: 422);
            if (title.Contains("FAIL", StringComparison.Ordinal)) return Results.Json(new { message = "Server Error" }, statusCode: 500);
            var n = Interlocked.Increment(ref _number);
            return Results.Json(new { number = n, html_url = $"https://github.com/{owner}/{repo}/issues/{n}", title }, statusCode: 201);
        });
    }

    public static async Task<FakeGitHub> StartAsync(string token)
    {
        var fake = new FakeGitHub(token);
        await fake._app.StartAsync();
        fake.Url = fake._app.Urls.First() + "/";
        return fake;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
