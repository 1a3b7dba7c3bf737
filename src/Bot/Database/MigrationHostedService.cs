using Microsoft.Extensions.Hosting;

namespace Bot.Database;

/// <summary>Migrates before anything else starts: it is registered ahead of the Hangfire server,
/// and hosted services start in registration order.</summary>
internal sealed class MigrationHostedService(Migrator migrator) : IHostedService
{
    public Task StartAsync(CancellationToken ct) => migrator.Run(ct);
    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
