using Bot.Hosting;

namespace Bot.Timeline;

/// <summary>Learns the bot's identity (auth.test) when BotHost could not (Slack did not answer at startup), so capture
/// can drop the bot's own messages without a Slack call; then keeps asking every half minute, so /readyz knows whether
/// Slack still takes the token. Slack being unreachable does not stop the app: each failed try is one warning line with
/// the cause and the next try (backing off to one a minute). A token Slack refuses stops the app with exit code 2, as it
/// would have at startup.</summary>
public sealed class BotIdentityLoader(
    BotIdentity identity,
    SlackAuthProbe probe,
    IHostApplicationLifetime lifetime,
    ILogger<BotIdentityLoader> logger) : BackgroundService
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan RecheckEvery = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = FirstRetry;
        var unreachable = false;
        // BotHost asked at startup: the next look is due a half minute later.
        if (identity.Current is not null) await Task.Delay(RecheckEvery, stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = RecheckEvery;
            switch (await probe.Probe(stoppingToken))
            {
                case SlackAuth.Accepted { Me: var me }:
                    if (identity.Current is null)
                    {
                        identity.Set(me.UserId, me.BotId, me.TeamId);
                        logger.LogInformation("Slack answered: bot user {User}, bot {Bot}", me.UserId, me.BotId);
                    }
                    else if (unreachable)
                    {
                        logger.LogInformation("Slack reachable again at {ApiUrl}", probe.ApiUrl);
                    }
                    unreachable = false;
                    delay = FirstRetry;
                    break;
                case SlackAuth.Refused refused:
                    logger.LogCritical("{Message}", SlackSettings.RefusedToken(refused.Error));
                    Environment.ExitCode = 2;
                    lifetime.StopApplication();
                    return;
                case SlackAuth.Unreachable failed:
                    wait = delay;
                    logger.LogWarning("Slack unreachable at {ApiUrl} ({Reason}); next try in {Delay:g} (at {NextTry:HH:mm:ss}Z); the bot keeps running",
                        probe.ApiUrl, failed.Reason, wait, DateTimeOffset.UtcNow + wait);
                    unreachable = true;
                    delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxDelay.Ticks));
                    break;
            }
            await Task.Delay(wait, stoppingToken);
        }
    }
}
