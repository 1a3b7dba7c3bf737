using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Bot.Slack.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Bot.Slack.Tests;

/// <summary>The fake's opt-in rate limits answer like Slack: 429, "ratelimited", Retry-After, per method per minute and
/// chat.postMessage per channel per second; nothing is limited unless asked.</summary>
public sealed class FakeSlackRateLimitTests
{
    private static async Task<(HttpStatusCode Status, string? RetryAfter, JsonObject Body)> Call(HttpClient http, FakeSlack slack, string method,
        Dictionary<string, string> args)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, slack.ApiUrl + method) { Content = new FormUrlEncodedContent(args) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", slack.BotToken);
        using var response = await http.SendAsync(request);
        return (response.StatusCode, response.Headers.RetryAfter?.Delta?.TotalSeconds.ToString(),
            JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject());
    }

    [Fact]
    public async Task PerMinuteAndPerChannelLimits_Answer429WithRetryAfter_AndFreeUpAsTimePasses()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero));
        await using var slack = await FakeSlack.StartAsync(new FakeSlackOptions
        {
            TimeProvider = time,
            PerMinuteLimits = new Dictionary<string, int> { ["conversations.open"] = 2 },
            PostsPerChannelPerSecond = 1,
        });
        slack.AddUser("U1", "one");
        slack.AddUser("U2", "two");
        using var http = new HttpClient();

        Assert.Equal(HttpStatusCode.OK, (await Call(http, slack, "conversations.open", new() { ["users"] = "U1" })).Status);
        time.Advance(TimeSpan.FromSeconds(20));
        Assert.Equal(HttpStatusCode.OK, (await Call(http, slack, "conversations.open", new() { ["users"] = "U2" })).Status);
        var third = await Call(http, slack, "conversations.open", new() { ["users"] = "U1" });
        Assert.Equal(HttpStatusCode.TooManyRequests, third.Status);
        Assert.Equal("ratelimited", third.Body["error"]!.ToString());
        Assert.Equal("40", third.RetryAfter);
        time.Advance(TimeSpan.FromSeconds(41));
        var dm = await Call(http, slack, "conversations.open", new() { ["users"] = "U1" });
        Assert.Equal(HttpStatusCode.OK, dm.Status);
        Assert.Equal(1, slack.RateLimitedCalls);

        var channel = dm.Body["channel"]!["id"]!.ToString();
        Assert.Equal(HttpStatusCode.OK, (await Call(http, slack, "chat.postMessage", new() { ["channel"] = channel, ["text"] = "a" })).Status);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await Call(http, slack, "chat.postMessage", new() { ["channel"] = channel, ["text"] = "b" })).Status);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.OK, (await Call(http, slack, "chat.postMessage", new() { ["channel"] = channel, ["text"] = "c" })).Status);
        Assert.Equal(2, slack.Messages(channel).Count);

        slack.RateLimitsPaused = true;
        Assert.Equal(HttpStatusCode.OK, (await Call(http, slack, "chat.postMessage", new() { ["channel"] = channel, ["text"] = "d" })).Status);
    }

    [Fact]
    public async Task WithoutLimits_NothingIsLimited()
    {
        await using var slack = await FakeSlack.StartAsync();
        slack.AddUser("U1", "one");
        using var http = new HttpClient();
        for (var i = 0; i < 70; i++)
            Assert.Equal(HttpStatusCode.OK, (await Call(http, slack, "conversations.open", new() { ["users"] = "U1" })).Status);
        Assert.Equal(0, slack.RateLimitedCalls);
    }
}
