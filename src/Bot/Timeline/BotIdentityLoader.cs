using Bot.Hosting;

namespace Bot.Timeline;

/// <summary>Learns the bot's identity (auth.test) when BotHost could not (Slack did not answer at startup), so capture
/// can drop the bot's own messages without a Slack call. Slack being unreachable does not stop the app: it keeps
/// asking, with one warning line rather than one per attempt. A token Slack refuses stops the app with exit code 2,
/// as it would have at startup.</summary>
public sealed class BotIdentityLoader(
    BotIdentity identity,
    SlackAuthProbe probe,
    IHostApplicationLifetime lifetime,
    ILogger<BotIdentityLoader> logger) : BackgroundService
{
    private static readonly TimeSpan MaxDelay = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromSeconds(1);
        var warned = false;
        while (!stoppingToken.IsCancellationRequested && identity.Current is null)
        {
            switch (await probe.Probe(stoppingToken))
            {
                case SlackAuth.Accepted { Me: var me }:
                    identity.Set(me.UserId, me.BotId, me.TeamId);
                    logger.LogInformation("Slack answered: bot user {User}, bot {Bot}", me.UserId, me.BotId);
                    return;
                case SlackAuth.Refused refused:
                    logger.LogCritical("{Message}", SlackSettings.RefusedToken(refused.Error));
                    Environment.ExitCode = 2;
                    lifetime.StopApplication();
                    return;
                case SlackAuth.Unreachable unreachable:
                    if (!warned)
                        logger.LogWarning("Slack is not reachable at {ApiUrl} ({Reason}); the bot keeps running and keeps trying (auth.test, at most every minute)",
                            probe.ApiUrl, unreachable.Reason);
                    else
                        logger.LogDebug("Slack still not reachable ({Reason}); next try in {Delay}", unreachable.Reason, delay);
                    warned = true;
                    await Task.Delay(delay, stoppingToken);
                    delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxDelay.Ticks));
                    break;
            }
        }
    }
}
