using Bot.Slack.WebApi;

namespace Bot.Timeline;

/// <summary>Learns the bot's identity (auth.test) when the app starts, so capture can drop the bot's own
/// messages without a Slack call. Slack being unreachable at startup does not stop the app: it keeps trying.</summary>
public sealed class BotIdentityLoader(BotIdentity identity, ISlackApi slack, ILogger<BotIdentityLoader> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested && identity.Current is null)
        {
            try
            {
                var me = await slack.Auth.Test(stoppingToken);
                identity.Set(me.UserId, me.BotId, me.TeamId);
                logger.LogInformation("Bot identity: user {User}, bot {Bot}", me.UserId, me.BotId);
                return;
            }
            catch (Exception e) when (e is SlackApiException or HttpRequestException)
            {
                logger.LogWarning("auth.test failed ({Message}); retrying in {Delay}", e.Message, delay);
                await Task.Delay(delay, stoppingToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromMinutes(1).Ticks));
            }
        }
    }
}
