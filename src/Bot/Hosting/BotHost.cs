using Bot.Database;
using Bot.Jobs;
using Bot.Slack;
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

        var slack = SlackSettings.Read(configuration);
        SlackSettings.Validate(slack);
        builder.Services.Configure<SlackOptions>(o => SlackSettings.CopyTo(slack, o));
        builder.Services.AddSingleton(TimeProvider.System);

        var hangfire = configuration.ReadBotOptions<HangfireSettings>(HangfireSettings.SectionName);
        if (hangfire.Dashboard && (string.IsNullOrEmpty(hangfire.DashboardUser) || string.IsNullOrEmpty(hangfire.DashboardPassword)))
            throw new StartupException("Bot:Hangfire:Dashboard is true, so Bot:Hangfire:DashboardUser and Bot:Hangfire:DashboardPassword must be set (the dashboard always asks for a password).");
        builder.Services.AddBotOptions<HangfireSettings>(configuration, HangfireSettings.SectionName);

        var connectionString = DatabaseSettings.ConfiguredConnectionString(configuration)
            ?? throw new StartupException($"No database configured: set {DatabaseSettings.DatabaseUrlKey} (postgres://user:password@host:5432/bot) or ConnectionStrings:{DatabaseSettings.ConnectionStringName}.");

        builder.Services.AddBotDatabase(connectionString, hangfire.Schema);
        builder.Services.AddBotHangfire(connectionString, hangfire);
        SlackWiring.Add(builder, slack);
        Features.Add(builder);

        var app = builder.Build();
        app.MapGet("/healthz", () => "ok");
        app.MapBotHangfireDashboard(hangfire);
        SlackWiring.Map(app);
        Features.Map(app);
        return app;
    }

    /// <summary>Runs until shutdown. A configuration or database problem at startup is one line on stderr
    /// and exit code 2, not a stack trace.</summary>
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

        try
        {
            await app.RunAsync();
            return 0;
        }
        catch (OptionsValidationException e)
        {
            await Console.Error.WriteLineAsync($"Invalid settings: {string.Join("; ", e.Failures)}");
            return 2;
        }
        catch (NpgsqlException e)
        {
            var where = new NpgsqlConnectionStringBuilder(app.Services.GetRequiredService<NpgsqlDataSource>().ConnectionString);
            await Console.Error.WriteLineAsync($"Cannot use PostgreSQL at {where.Host}:{where.Port}/{where.Database}: {e.Message}");
            return 3;
        }
    }
}
