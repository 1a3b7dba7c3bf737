using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;

namespace Bot.ActionItems.Tracker;

public sealed class GitHubException(string message) : Exception(message);

/// <summary>Opens an issue through GitHub's REST API (POST /repos/{owner}/{repo}/issues) with the configured token.
/// The token goes in the Authorization header only; no request is logged (the client's loggers are removed), and
/// errors name the status and GitHub's message, never the request.</summary>
public sealed class GitHubIssues(IHttpClientFactory http, IOptions<ActionItemOptions> options)
{
    public const string HttpClientName = "github";

    public sealed record Created(string Url, int Number);

    public async Task<Created> Create(string title, string body, CancellationToken ct)
    {
        var o = options.Value.GitHub;
        if (!o.Enabled) throw new GitHubException("Bot:ActionItems:GitHub:Repository and Token are not set.");
        var url = new Uri(new Uri(o.ApiUrl.EndsWith('/') ? o.ApiUrl : o.ApiUrl + "/"), $"repos/{o.Repository}/issues");
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(new { title, body }) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", o.Token);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.github+json"));
        request.Headers.Add("X-GitHub-Api-Version", "2022-11-28");
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("incident-bot", "1.0"));
        using var client = http.CreateClient(HttpClientName);
        client.Timeout = TimeSpan.FromSeconds(20);
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, ct);
        }
        catch (HttpRequestException e)
        {
            throw new GitHubException($"GitHub could not be reached ({e.HttpRequestError}).");
        }
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            if (!response.IsSuccessStatusCode)
                throw new GitHubException($"GitHub answered {(int)response.StatusCode}: {Message(text)}");
            var issue = TryRead(text);
            if (issue?.HtmlUrl is not { Length: > 0 } htmlUrl) throw new GitHubException("GitHub's answer had no issue URL.");
            return new Created(htmlUrl, issue.Number);
        }
    }

    private static string Message(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            return doc.RootElement.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : "no message";
        }
        catch (JsonException)
        {
            return "not JSON";
        }
    }

    private static Issue? TryRead(string body)
    {
        try { return JsonSerializer.Deserialize<Issue>(body); }
        catch (JsonException) { return null; }
    }

    private sealed class Issue
    {
        [JsonPropertyName("html_url")] public string? HtmlUrl { get; set; }
        [JsonPropertyName("number")] public int Number { get; set; }
    }
}
