namespace Bot.Slack.Testing;

public sealed class FakeSlackOptions
{
    /// <summary>Clock for ts values, created/last_set fields and trigger expiry. A FakeTimeProvider makes ts
    /// deterministic.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Slack's trigger_id lives 3 s; the default is looser so a loaded CI machine does not flake.
    /// Set it to 3 s in a test that asserts the bot opens modals promptly.</summary>
    public TimeSpan TriggerLifetime { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>WaitFor* calls without an explicit timeout give up after this.</summary>
    public TimeSpan DefaultTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The bot token's OAuth scopes; a method whose scope is missing answers missing_scope, and a post into
    /// a public channel the bot is not in needs chat:write.public. Null grants every scope (tests of the platform
    /// layer); an app's tests pass the scopes of its manifest.</summary>
    public IReadOnlyCollection<string>? BotScopes { get; init; }
    /// <summary>Method → calls allowed in any minute (Slack's tiers, e.g. conversations.open 50+); over it, 429 with
    /// Retry-After. Null (the default): no limits.</summary>
    public IReadOnlyDictionary<string, int>? PerMinuteLimits { get; init; }

    /// <summary>chat.postMessage per channel per second (Slack: 1, short bursts allowed); null: no limit.</summary>
    public int? PostsPerChannelPerSecond { get; init; }

    public string TeamId { get; init; } = "T0FAKE001";
    public string TeamName { get; init; } = "Fake Workspace";
    public string BotUserId { get; init; } = "U0FAKEBOT";
    public string BotName { get; init; } = "fakebot";
    public string BotId { get; init; } = "B0FAKEBOT";
    public string AppId { get; init; } = "A0FAKEAPP";
    public string BotToken { get; init; } = "xoxb-1-fake-bot-token";
    public string AppToken { get; init; } = "xapp-1-A0FAKEAPP-fake-app-token";
}
