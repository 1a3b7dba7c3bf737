using Bot.Database;
using Bot.Hosting.LocalPostgres;
using Bot.Jobs;
using Bot.Operations;
using Bot.Slack;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Bot.Hosting;

/// <summary>Builds and runs the bot. Tests call Build with overrides (configuration, services) and
/// start the real app on Kestrel; Program calls RunAsync.</summary>
public static class BotHost
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? overrides = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        overrides?.Invoke(builder);
        var configuration = builder.Configuration;
        OperationsFeature.Add(builder);

        var slack = SlackSettings.Read(configuration);
        SlackSettings.Validate(slack);
        builder.Services.Configure<SlackOptions>(o => SlackSettings.Apply(configuration, slack, o));
        builder.Services.TryAddSingleton(TimeProvider.System);

        var hangfire = configuration.ReadBotOptions<HangfireSettings>(HangfireSettings.SectionName);
        if (hangfire.Dashboard && (string.IsNullOrEmpty(hangfire.DashboardUser) || string.IsNullOrEmpty(hangfire.DashboardPassword)))
            throw new StartupException("Bot:Hangfire:Dashboard is true, so Bot:Hangfire:DashboardUser and Bot:Hangfire:DashboardPassword must be set (the dashboard always asks for a password).");
        builder.Services.AddBotOptions<HangfireSettings>(configuration, HangfireSettings.SectionName);

        var connectionString = DatabaseSettings.ConfiguredConnectionString(configuration) ?? LocalDatabase(configuration);

        builder.Services.AddBotDatabase(connectionString, hangfire.Schema);
        builder.Services.AddBotHangfire(connectionString, hangfire);
        SlackWiring.Add(builder, slack);
        Features.Add(builder);

        var app = builder.Build();
        app.MapGet("/healthz", () => "ok");
        OperationsFeature.Map(app);
        app.MapBotHangfireDashboard(hangfire);
        SlackWiring.Map(app);
        Features.Map(app);
        return app;
    }

    /// <summary>No database configured: the embedded local cluster, unless Bot:Database:Embedded is false.</summary>
    private static string LocalDatabase(IConfiguration configuration)
    {
        if (!configuration.GetValue("Bot:Database:Embedded", true))
            throw new StartupException($"No database configured: set {DatabaseSettings.DatabaseUrlKey} (postgres://user:password@host:5432/bot) or ConnectionStrings:{DatabaseSettings.ConnectionStringName}.");
        var dataRoot = configuration["Bot:Database:EmbeddedDataPath"] is { Length: > 0 } path
            ? Path.GetFullPath(path)
            : EmbeddedPostgres.DefaultDataRoot();
        return EmbeddedPostgres.Start(dataRoot);
    }

    /// <summary>Runs until shutdown. A configuration problem at startup (a bot token Slack refuses included) is one
    /// line on stderr and exit code 2, an unusable database exit code 3, not a stack trace.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        WebApplication app;
        try
        {
            app = Build(args);
        }
        catch (StartupException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 2;
        }

        // Checked before the host starts, so a bad setting or an unreachable server is one line, not a
        // logged stack trace ("Hosting failed to start").
        try
        {
            app.Services.GetService<IStartupValidator>()?.Validate();
        }
        catch (Exception e) when (e is OptionsValidationException or AggregateException)
        {
            var failures = e is AggregateException all
                ? all.InnerExceptions.OfType<OptionsValidationException>().SelectMany(v => v.Failures)
                : ((OptionsValidationException)e).Failures;
            await Console.Error.WriteLineAsync($"Invalid settings: {string.Join("; ", failures)}");
            return 2;
        }

        var dataSource = app.Services.GetRequiredService<NpgsqlDataSource>();
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync();
        }
        catch (NpgsqlException e)
        {
            var where = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);
            await Console.Error.WriteLineAsync($"Cannot use PostgreSQL at {where.Host}:{where.Port}/{where.Database}: {e.Message}");
            return 3;
        }

        // A token Slack refuses is a wrong setting too. Slack not answering is not: BotIdentityLoader keeps asking.
        var auth = await app.Services.GetRequiredService<SlackAuthProbe>().Probe(CancellationToken.None);
        if (auth is SlackAuth.Refused refused)
        {
            await Console.Error.WriteLineAsync(SlackSettings.RefusedToken(refused.Error));
            return 2;
        }
        if (auth is SlackAuth.Accepted accepted)
            app.Services.GetRequiredService<Bot.Timeline.BotIdentity>().Set(accepted.Me.UserId, accepted.Me.BotId, accepted.Me.TeamId);

        await app.RunAsync();
        return Environment.ExitCode;
    }
}
