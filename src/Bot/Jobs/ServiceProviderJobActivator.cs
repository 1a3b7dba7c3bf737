using Hangfire;
using Hangfire.AspNetCore;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Jobs;

/// <summary>Registered in DI so each app resolves jobs from its own container; Hangfire's default
/// (JobActivator.Current) is process-global, and tests run two app instances in one process.</summary>
internal static class ServiceProviderJobActivator
{
    public static JobActivator Create(IServiceProvider services) =>
        new AspNetCoreJobActivator(services.GetRequiredService<IServiceScopeFactory>());
}
