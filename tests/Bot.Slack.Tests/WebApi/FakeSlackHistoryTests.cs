using Bot.Slack.Testing;
using Bot.Slack.WebApi;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Slack.Tests.WebApi;

/// <summary>A channel's past seeded in the fake, read by the client page by page: what a backfill relies on.</summary>
public sealed class FakeSlackHistoryTests : IAsyncLifetime
{
    private static readonly string[] Scopes = ["channels:read", "channels:history", "groups:read", "groups:history", "channels:join", "pins:read"];
    private FakeSlack _slack = null!;
    private ServiceProvider _services = null!;
    private ISlackApi _api = null!;

    public async Task InitializeAsync()
    {
        _slack = await FakeSlack.StartAsync(new FakeSlackOptions { BotScopes = Scopes });
        var services = new ServiceCollection();
        services.Configure<SlackOptions>(o =>
        {
            o.ApiUrl = _slack.ApiUrl;
            o.BotToken = _slack.BotToken;
        });
        services.Configure<SlackWebApiOptions>(o =>
        {
            o.RateLimit = false;
            o.PageSize = 2;
        });
        services.AddSlackWebApi();
        _services = services.BuildServiceProvider();
        _api = _services.GetRequiredService<ISlackApi>();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _slack.DisposeAsync();
    }

    [Fact]
    public async Task HistoryPage_PagesNewestFirst_WithEditsFilesReactionsAndReplyCounts_AfterJoining()
    {
        var channel = _slack.AddChannel("outage", botIsMember: false, members: ["U1"]);
        var at = new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);
        _slack.AddPastMessage(channel.Id, "U1", "before the range", at.AddMinutes(-1));
        var first = _slack.AddPastMessage(channel.Id, "U1", "first", at);
        var third = _slack.AddPastMessage(channel.Id, "U1", "third", at.AddMinutes(2));
        var second = _slack.AddPastMessage(channel.Id, "U1", "second", at.AddMinutes(1)); // seeded late, kept in ts order
        _slack.AddPastMessage(channel.Id, "U1", "a reply", at.AddMinutes(3), threadTs: first.Ts);
        _slack.EditPastMessage(channel.Id, second.Ts, "second (edited)", at.AddMinutes(5));
        _slack.AddPastReaction(channel.Id, third.Ts, "eyes", "U1");
        _slack.AddPastFile(channel.Id, first.Ts, "graph.png", "image/png");
        _slack.AddPastPin(channel.Id, third.Ts, "U1", at.AddMinutes(9));

        var refused = await Assert.ThrowsAsync<SlackApiException>(() => _api.Conversations.HistoryPage(channel.Id));
        Assert.Equal("not_in_channel", refused.Error);
        await _api.Conversations.Join(channel.Id);

        var page1 = await _api.Conversations.HistoryPage(channel.Id, oldest: Oldest(at));
        var page2 = await _api.Conversations.HistoryPage(channel.Id, oldest: Oldest(at), cursor: page1.NextCursor);

        // The bot's join is the newest message; replies stay in their thread.
        Assert.Equal(["channel_join", null], page1.Messages.Select(m => m.Subtype));
        Assert.Equal(third.Ts, page1.Messages[1].Ts);
        Assert.Equal("eyes", Assert.Single(page1.Messages[1].Reactions!).Name);
        Assert.Equal([second.Ts, first.Ts], page2.Messages.Select(m => m.Ts));
        Assert.Null(page2.NextCursor);
        Assert.Equal("second (edited)", page2.Messages[0].Text);
        Assert.Equal(BotTs(at.AddMinutes(5)), page2.Messages[0].Edited!.Ts);
        Assert.Equal(1, page2.Messages[1].ReplyCount);
        Assert.Equal("image/png", Assert.Single(page2.Messages[1].Files!).Mimetype);
        Assert.Equal(["first", "a reply"], (await _api.Conversations.Replies(channel.Id, first.Ts)).Select(m => m.Text));
        var pin = Assert.Single(await _api.Pins.List(channel.Id));
        Assert.Equal((third.Ts, at.AddMinutes(9).ToUnixTimeSeconds(), "U1"), (pin.Message!.Ts!, pin.Created!.Value, pin.CreatedBy!));
    }

    [Fact]
    public async Task PrivateChannel_WithoutTheBot_IsNotFound_AndCannotBeJoined()
    {
        var secret = _slack.AddChannel("secret", isPrivate: true, botIsMember: false, members: ["U1"]);
        _slack.AddPastMessage(secret.Id, "U1", "hush", DateTimeOffset.UtcNow.AddHours(-1));

        Assert.Equal("channel_not_found", (await Assert.ThrowsAsync<SlackApiException>(() => _api.Conversations.HistoryPage(secret.Id))).Error);
        Assert.Equal("channel_not_found", (await Assert.ThrowsAsync<SlackApiException>(() => _api.Conversations.Join(secret.Id))).Error);
        Assert.Equal("channel_not_found", (await Assert.ThrowsAsync<SlackApiException>(() => _api.Conversations.Info(secret.Id))).Error);
    }

    [Fact]
    public async Task HistoryPage_WithAnOldestThatIsNoTs_IsInvalidTsOldest()
    {
        var channel = _slack.AddChannel("general");
        var e = await Assert.ThrowsAsync<SlackApiException>(() => _api.Conversations.HistoryPage(channel.Id, oldest: "yesterday"));
        Assert.Equal("invalid_ts_oldest", e.Error);
    }

    [Fact]
    public async Task Join_WithoutChannelsJoin_IsMissingScope()
    {
        await using var narrow = await FakeSlack.StartAsync(new FakeSlackOptions { BotScopes = ["channels:read", "channels:history"] });
        var channel = narrow.AddChannel("open", botIsMember: false);
        var services = new ServiceCollection();
        services.Configure<SlackOptions>(o =>
        {
            o.ApiUrl = narrow.ApiUrl;
            o.BotToken = narrow.BotToken;
        });
        services.AddSlackWebApi();
        await using var sp = services.BuildServiceProvider();

        var e = await Assert.ThrowsAsync<SlackApiException>(() => sp.GetRequiredService<ISlackApi>().Conversations.Join(channel.Id));
        Assert.Equal("missing_scope", e.Error);
    }

    /// <summary>Just before <paramref name="at"/>: conversations.history's oldest is exclusive.</summary>
    private static string Oldest(DateTimeOffset at) => $"{at.ToUnixTimeSeconds() - 1}.999999";

    private static string BotTs(DateTimeOffset at) => $"{at.ToUnixTimeSeconds()}.000000";
}
