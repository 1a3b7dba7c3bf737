using Bot.Slack.Testing;
using Bot.Slack.Tests.Support;
using Bot.Slack.WebApi;
using Bot.Slack.WebApi.RateLimiting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Bot.Slack.Tests.WebApi;

public sealed class RateLimiterTests
{
    [Fact]
    public void TokenBucket_GivesTheBurstAtOnce_ThenOneTokenPerInterval()
    {
        var time = new FakeTimeProvider();
        var bucket = new TokenBucket(capacity: 3, tokensPerSecond: 1.0 / 3, time); // Tier2: 20 a minute

        var waits = Enumerable.Range(0, 6).Select(_ => bucket.Reserve().TotalSeconds).ToList();

        Assert.Equal([0, 0, 0, 3, 6, 9], waits.Select(w => Math.Round(w, 6)));
    }

    [Fact]
    public void TokenBucket_RefillsWithTime_UpToCapacityOnly()
    {
        var time = new FakeTimeProvider();
        var bucket = new TokenBucket(capacity: 2, tokensPerSecond: 1, time);
        bucket.Reserve();
        bucket.Reserve();
        Assert.False(bucket.IsIdle);

        time.Advance(TimeSpan.FromHours(1));

        Assert.True(bucket.IsIdle);
        Assert.Equal(TimeSpan.Zero, bucket.Reserve());
        Assert.Equal(TimeSpan.Zero, bucket.Reserve());
        Assert.Equal(TimeSpan.FromSeconds(1), bucket.Reserve()); // an hour idle still allows only the burst
    }

    [Fact]
    public async Task TokenBucket_CancelledWaiter_GivesItsTokenBack()
    {
        var time = new FakeTimeProvider();
        var bucket = new TokenBucket(capacity: 1, tokensPerSecond: 1, time);
        bucket.Reserve();
        using var cts = new CancellationTokenSource();

        var waiting = bucket.Take(cts.Token).AsTask();
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(TimeSpan.Zero, bucket.Reserve()); // without the refund this would wait another second
    }

    [Fact]
    public void TokenBucket_Hold_DelaysEveryReservation_UntilItEnds()
    {
        var time = new FakeTimeProvider();
        var bucket = new TokenBucket(capacity: 10, tokensPerSecond: 10, time);

        bucket.Hold(TimeSpan.FromSeconds(7));

        Assert.Equal(TimeSpan.FromSeconds(7), bucket.Reserve()); // tokens are there, but Slack said wait
        time.Advance(TimeSpan.FromSeconds(7));
        Assert.Equal(TimeSpan.Zero, bucket.Reserve());
    }

    [Fact]
    public async Task RateLimited_HoldsBackOtherCallersOfTheMethod()
    {
        await using var slack = await FakeSlack.StartAsync(new FakeSlackOptions { BotToken = ClientFactory.Token });
        slack.AddUser("U1", "ana");
        slack.AddUser("U2", "bo");
        slack.FailNext("users.info", Failure.RateLimited(9));
        var time = new RecordingTimeProvider();
        var (api, sp) = ClientFactory.Create(slack.ApiUrl, time);
        await using var _ = sp;

        var first = api.Users.Info("U1");
        await Poll.Until(() => time.Timers.Count(t => t == TimeSpan.FromSeconds(9)) == 1, "the first caller's wait");
        var second = api.Users.Info("U2");

        // The second caller is held by the limiter for the same 9 s instead of drawing another 429.
        await Poll.Until(() => time.Timers.Count(t => t == TimeSpan.FromSeconds(9)) == 2, "the second caller held");
        Assert.Single(slack.CallsTo("users.info"));
        time.Advance(TimeSpan.FromSeconds(9));
        await Task.WhenAll(first, second).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(3, slack.CallsTo("users.info").Count);
    }

    [Fact]
    public void Tiers_ComeFromSlacksTable()
    {
        Assert.True(RateLimitTiers.Count > 300);
        Assert.Equal(RateLimitTier.Tier2, RateLimitTiers.For("conversations.create"));
        Assert.Equal(RateLimitTier.Tier3, RateLimitTiers.For("conversations.history"));
        Assert.Equal(RateLimitTier.Tier4, RateLimitTiers.For("users.info"));
        Assert.Equal(RateLimitTier.Tier1, RateLimitTiers.For("apps.connections.open"));
        Assert.Equal(RateLimitTier.PostMessage, RateLimitTiers.For("chat.postMessage"));
        Assert.Equal(RateLimitTier.Tier3, RateLimitTiers.For("no.such.method"));
    }

    [Fact]
    public async Task Limiter_KeepsAMethodUnderItsTier_OverSimulatedMinutes()
    {
        var time = new FakeTimeProvider();
        var limiter = new SlackRateLimiter(time, Options.Create(new SlackWebApiOptions()));
        var tier = RateLimitTiers.For("conversations.create"); // Tier2: 20 a minute, burst 3
        var done = new List<TimeSpan>();
        var start = time.GetUtcNow();
        var callers = Enumerable.Range(0, 80).Select(async _ =>
        {
            await limiter.Wait("conversations.create", null, CancellationToken.None);
            lock (done) done.Add(time.GetUtcNow() - start);
        }).ToList();

        for (var second = 0; second < 180; second++)
        {
            // Each step must settle before time moves on: the expected count is the burst plus one per 3 s.
            var expected = Math.Min(80, tier.Burst + second * tier.PerMinute / 60);
            await Poll.Until(() => { lock (done) return done.Count >= expected; }, $"{expected} calls at {second}s");
            time.Advance(TimeSpan.FromSeconds(1));
        }

        // 180 s have passed: the burst plus one call per 3 s, and not one more.
        var total = tier.Burst + 180 * tier.PerMinute / 60;
        await Poll.Until(() => { lock (done) return done.Count >= total; }, "the last step");
        lock (done)
        {
            Assert.Equal(total, done.Count);
            // In any 60-second window, no more than the tier's rate plus the initial burst.
            foreach (var t in done)
                Assert.True(done.Count(d => d >= t && d < t + TimeSpan.FromMinutes(1)) <= tier.PerMinute + tier.Burst);
            // After the burst, a steady minute holds exactly the tier's rate.
            Assert.Equal(tier.PerMinute, done.Count(d => d >= TimeSpan.FromMinutes(1) && d < TimeSpan.FromMinutes(2)));
        }
        Assert.Equal(80 - done.Count, callers.Count(c => !c.IsCompleted));
    }

    [Fact]
    public async Task Limiter_MethodsHaveSeparateBuckets()
    {
        var time = new FakeTimeProvider();
        var limiter = new SlackRateLimiter(time, Options.Create(new SlackWebApiOptions()));
        for (var i = 0; i < RateLimitTier.Tier1.Burst; i++) await limiter.Wait("apps.connections.open", null, default);

        var blocked = limiter.Wait("apps.connections.open", null, default).AsTask();
        var other = limiter.Wait("users.info", null, default).AsTask();

        Assert.True(other.IsCompletedSuccessfully);
        Assert.False(blocked.IsCompleted);
        time.Advance(TimeSpan.FromMinutes(1));
        await blocked.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void Disabled_LetsEverythingThrough()
    {
        var limiter = new SlackRateLimiter(new FakeTimeProvider(), Options.Create(new SlackWebApiOptions { RateLimit = false }));
        for (var i = 0; i < 50; i++)
            Assert.True(limiter.Wait("apps.connections.open", null, default).IsCompletedSuccessfully);
    }

    [Fact]
    public async Task PostMessage_IsSpacedPerChannel_OverRealHttp()
    {
        await using var slack = await FakeSlack.StartAsync(new FakeSlackOptions { BotToken = ClientFactory.Token });
        var busyChannel = slack.AddChannel("busy").Id;
        var quietChannel = slack.AddChannel("quiet").Id;
        var time = new FakeTimeProvider();
        var (api, sp) = ClientFactory.Create(slack.ApiUrl, time);
        await using var _ = sp;
        var burst = new SlackWebApiOptions().PostMessagePerChannelBurst;

        var busy = Enumerable.Range(0, burst + 2)
            .Select(i => api.Chat.PostMessage(new OutgoingMessage { Channel = busyChannel, Text = $"m{i}" })).ToList();
        var quiet = api.Chat.PostMessage(new OutgoingMessage { Channel = quietChannel, Text = "other" });

        int Sent(string channel) => slack.CallsTo("chat.postMessage").Count(c => c.Arg("channel") == channel);
        await Poll.Until(() => Sent(busyChannel) == burst && Sent(quietChannel) == 1, "the burst and the other channel");
        await quiet; // another channel is not held up by the busy one
        await Poll.Until(() => busy.Count(t => t.IsCompletedSuccessfully) == burst, "the burst's answers");
        Assert.Equal(2, busy.Count(t => !t.IsCompleted)); // the rest wait on the channel's pace, not on the server

        time.Advance(TimeSpan.FromSeconds(1));
        await Poll.Until(() => Sent(busyChannel) == burst + 1, "one more after a second");
        time.Advance(TimeSpan.FromSeconds(1));
        await Poll.Until(() => Sent(busyChannel) == burst + 2, "the last after another second");
        await Task.WhenAll(busy).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(burst + 2, Sent(busyChannel));
    }
}
