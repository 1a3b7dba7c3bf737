using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Bot.Slack.Testing;

// response_url endpoints: what slash commands and interactions carry for delayed replies.
public sealed partial class FakeSlack
{
    /// <summary>Slack lets a response_url be used 5 times within 30 minutes.</summary>
    private const int ResponseUrlUses = 5;
    private static readonly TimeSpan ResponseUrlLifetime = TimeSpan.FromMinutes(30);

    private readonly Dictionary<string, DateTimeOffset> _responseUrls = new(StringComparer.Ordinal);
    private readonly List<RecordedResponse> _responses = [];

    /// <summary>A fresh response_url on the fake, to put into a slash command or interaction payload.</summary>
    public string ResponseUrl()
    {
        var id = Guid.NewGuid().ToString("N");
        lock (_gate) _responseUrls[id] = _time.GetUtcNow();
        return $"{BaseUrl}response/{id}";
    }

    /// <summary>Bodies posted to the URL so far (also rejected ones; see HttpStatus).</summary>
    public IReadOnlyList<RecordedResponse> ResponsesTo(string url)
    {
        lock (_gate) return _responses.Where(r => r.Url == url).ToList();
    }

    public Task<RecordedResponse> WaitForResponse(string url, Func<RecordedResponse, bool>? predicate = null, TimeSpan? timeout = null) =>
        WaitUntil(
            () => ResponsesTo(url).FirstOrDefault(r => predicate?.Invoke(r) ?? true),
            timeout,
            () => $"No matching response to {url}. Got: {string.Join(" | ", ResponsesTo(url).Select(r => r.Body?.ToJsonString()))}");

    private async Task HandleResponseUrl(HttpContext ctx, string id)
    {
        var url = $"{BaseUrl}response/{id}";
        using var reader = new StreamReader(ctx.Request.Body);
        var text = await reader.ReadToEndAsync();
        JsonNode? body = null;
        string? error = null;
        try
        {
            body = JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            error = "invalid_payload";
        }

        int status;
        lock (_gate)
        {
            var uses = _responses.Count(r => r.Url == url && r.HttpStatus == 200);
            if (!_responseUrls.TryGetValue(id, out var issued)) (status, error) = (404, "no_such_url");
            else if (_time.GetUtcNow() - issued > ResponseUrlLifetime) (status, error) = (404, "expired_url");
            else if (uses >= ResponseUrlUses) (status, error) = (404, "used_url");
            else if (error is not null) status = 400;
            else if (body is not JsonObject o || !(o.ContainsKey("text") || o.ContainsKey("blocks") || o.ContainsKey("attachments")
                         || o["delete_original"]?.ToString() is "true" or "True"))
                (status, error) = (400, "no_text");
            else status = 200;
            _responses.Add(new RecordedResponse(url, body, _time.GetUtcNow(), status));
        }
        Signal();
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "application/json";
        await ctx.Response.WriteAsync(error is null ? """{"ok":true}""" : $$"""{"ok":false,"error":"{{error}}"}""");
    }
}
