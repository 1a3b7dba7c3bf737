using Bot.Jobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Bot.Database;

public static class DatabaseServiceCollectionExtensions
{
    /// <summary>The app's NpgsqlDataSource (singleton, pooled), Db, and the migrator that runs at startup.
    /// Register before AddBotHangfire so migrations run before the Hangfire server starts.</summary>
    public static IServiceCollection AddBotDatabase(this IServiceCollection services, string connectionString, string hangfireSchema)
    {
        // Enlist=true (Npgsql's default) is what lets Db.InTransaction share one session with Hangfire.
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Enlist = true };
        if (string.IsNullOrEmpty(builder.ApplicationName))
            builder.ApplicationName = "incident-bot";
        // PostgreSQL's default max_connections is 100, shared with Hangfire's pool, a second instance and psql.
        // Npgsql's default pool of 100 would let a burst of Slack events open them all and be refused; a smaller
        // pool makes the burst wait briefly for a connection instead. An explicit Maximum Pool Size wins.
        if (builder.MaxPoolSize == 100)
            builder.MaxPoolSize = 30;
        services.AddSingleton(sp => new NpgsqlDataSourceBuilder(builder.ConnectionString)
            .UseLoggerFactory(sp.GetRequiredService<ILoggerFactory>())
            .Build());
        services.AddSingleton<Db>();
        services.AddSingleton(sp => new Migrator(
            sp.GetRequiredService<NpgsqlDataSource>(),
            hangfireSchema,
            sp.GetServices<IStartupUnderLock>(),
            sp.GetRequiredService<ILogger<Migrator>>()));
        services.AddHostedService<MigrationHostedService>();
        return services;
    }
}
