using Hangfire;
using Hangfire.Common;
using Hangfire.PostgreSql;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Bot.Jobs;

public static class HangfireServiceCollectionExtensions
{
    /// <summary>Hangfire on PostgreSQL in the bot's database (schema from Bot:Hangfire:Schema), its own
    /// connection pool, and a server in this process. The schema is installed by the Migrator under its
    /// advisory lock, never by Hangfire itself (PrepareSchemaIfNecessary = false).</summary>
    public static IServiceCollection AddBotHangfire(this IServiceCollection services, string connectionString, HangfireSettings settings)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString)
        {
            // Hangfire enlists explicitly where it needs to; its pool's connections never enlist on open.
            Enlist = false,
            ApplicationName = "incident-bot-hangfire",
        };
        // Workers plus polling and the server's bookkeeping; see the app pool's comment in AddBotDatabase.
        if (builder.MaxPoolSize == 100)
            builder.MaxPoolSize = Math.Max(20, settings.WorkerCount + 10);
        services.AddSingleton(new HangfireDataSource(NpgsqlDataSource.Create(builder.ConnectionString)));
        services.AddSingleton<IConnectionFactory, HangfireConnectionFactory>();

        // Our own singletons, registered before AddHangfire (which only TryAdds): Hangfire's defaults
        // are process-global statics that a second app instance in the same process would overwrite.
        services.AddSingleton<JobStorage>(sp => new PostgreSqlStorage(
            sp.GetRequiredService<IConnectionFactory>(),
            new PostgreSqlStorageOptions
            {
                SchemaName = settings.Schema,
                PrepareSchemaIfNecessary = false,
                AllowDegradedModeWithoutStorage = false,
                EnableTransactionScopeEnlistment = true,
                QueuePollInterval = settings.PollInterval,
                UseSlidingInvisibilityTimeout = true,
                InvisibilityTimeout = TimeSpan.FromMinutes(5),
            }));
        services.AddSingleton(ServiceProviderJobActivator.Create);
        // The attribute filters (AutomaticRetry) and global ones as usual, plus this instance's own GaveUpFilter and the
        // features' IBotJobFilters.
        services.AddSingleton<GaveUpFilter>();
        services.AddSingleton<JobMetricsFilter>();
        services.AddSingleton<IJobFilterProvider>(sp =>
        {
            var own = new JobFilterCollection();
            own.Add(sp.GetRequiredService<GaveUpFilter>());
            own.Add(sp.GetRequiredService<JobMetricsFilter>());
            foreach (var filter in sp.GetServices<IBotJobFilter>())
                own.Add(filter, filter.Order);
            return new JobFilterProviderCollection(JobFilterProviders.Providers, own);
        });

        services.AddHangfire((sp, config) => config
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UseLogProvider(new HangfireLogProvider(sp.GetRequiredService<ILoggerFactory>())));

        var identity = new HangfireServerIdentity();
        services.AddSingleton(identity);
        if (settings.ServerEnabled)
        {
            services.AddHangfireServer((sp, options) =>
            {
                options.ServerName = identity.Name;
                options.WorkerCount = settings.WorkerCount;
                options.SchedulePollingInterval = settings.PollInterval;
                // On stop, running jobs get most of the host's grace period to finish (StopTimeout; Hangfire's default
                // cancels them at once); then their CancellationToken fires, and a job that stops on it goes back to its
                // queue at once. One still running when the host gives up is picked up again by the next server after
                // the InvisibilityTimeout (below). docs/operations.md.
                var grace = sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<HostOptions>>().Value.ShutdownTimeout;
                options.StopTimeout = grace > TimeSpan.FromSeconds(10) ? grace - TimeSpan.FromSeconds(5) : grace / 2;
                options.ShutdownTimeout = grace > TimeSpan.FromSeconds(4) ? grace - TimeSpan.FromSeconds(2) : grace;
            });
        }
        return services;
    }

    /// <summary>Maps the dashboard only when Bot:Hangfire:Dashboard is true; then basic auth is required.</summary>
    public static WebApplication MapBotHangfireDashboard(this WebApplication app, HangfireSettings settings)
    {
        if (!settings.Dashboard)
            return app;
        app.UseHangfireDashboard(settings.DashboardPath, new DashboardOptions
        {
            Authorization = [new DashboardBasicAuth(settings.DashboardUser!, settings.DashboardPassword!)],
            AppPath = null,
        }, app.Services.GetRequiredService<JobStorage>());
        return app;
    }
}
