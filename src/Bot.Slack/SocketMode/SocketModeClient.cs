using Microsoft.Extensions.Hosting;

namespace Bot.Slack.SocketMode;

internal sealed class SocketModeClient : BackgroundService
{
    public const string HttpClientName = "Bot.Slack.SocketMode";
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.CompletedTask;
}
