using Bot.Hosting;
using Microsoft.Extensions.Logging.Console;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace Bot.Operations;

/// <summary>Running the bot: /readyz, metrics (OpenTelemetry: Prometheus at /metrics and/or OTLP), the console log's
/// format, and how long a stop waits for work in flight. docs/operations.md is the operator's page.</summary>
public static class OperationsFeature
{
    public const string ServiceName = "incident-bot";

    public static void Add(WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var services = builder.Services;
        var metrics = configuration.ReadBotOptions<MetricsSettings>(MetricsSettings.SectionName);
        var logging = configuration.ReadBotOptions<LoggingSettings>(LoggingSettings.SectionName);
        var shutdown = configuration.ReadBotOptions<ShutdownSettings>(ShutdownSettings.SectionName);

        ConfigureConsole(services, configuration, logging);
        // Kestrel stops taking connections and lets requests in flight finish; the Slack work queue drains; Hangfire's
        // server lets running jobs finish for most of it (AddBotHangfire) — all within this one grace period.
        services.Configure<HostOptions>(o => o.ShutdownTimeout = shutdown.Timeout);

        services.AddMetrics();
        services.AddSingleton<BotMetrics>();
        services.AddSingleton<Readiness>();
        services.AddHostedService<IdleMemoryTrim>();

        var otlp = OtlpEndpoint(configuration, metrics);
        if (!metrics.Prometheus && otlp is null) return;
        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(ServiceName))
            .WithMetrics(m =>
            {
                m.AddMeter(Bot.Slack.Diagnostics.SlackMetrics.MeterName)
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation();
                // Meters made by a container's IMeterFactory are that app's. OpenTelemetry listens by meter name across
                // the process, so a second app in it (the tests run many) would otherwise be exported here as well, or
                // shadow this app's instruments of the same name.
                ((IDeferredMeterProviderBuilder)m).Configure((sp, b) =>
                {
                    var own = sp.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
                    b.AddView(i => i.Meter.Scope is null || ReferenceEquals(i.Meter.Scope, own) ? null : MetricStreamConfiguration.Drop);
                });
                if (metrics.Prometheus) m.AddPrometheusExporter();
                if (otlp is not null)
                    m.AddOtlpExporter(o =>
                    {
                        if (!string.IsNullOrWhiteSpace(metrics.OtlpEndpoint)) o.Endpoint = otlp;
                    });
            });
    }

    public static void Map(WebApplication app)
    {
        app.MapGet("/readyz", async (Readiness readiness, CancellationToken ct) =>
        {
            var report = await readiness.Check(ct);
            return Results.Json(report, statusCode: report.Ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        });
        if (app.Configuration.ReadBotOptions<MetricsSettings>(MetricsSettings.SectionName).Prometheus)
            app.MapPrometheusScrapingEndpoint("/metrics");
    }

    private static Uri? OtlpEndpoint(IConfiguration configuration, MetricsSettings metrics)
    {
        var value = !string.IsNullOrWhiteSpace(metrics.OtlpEndpoint) ? metrics.OtlpEndpoint : configuration["OTEL_EXPORTER_OTLP_ENDPOINT"];
        if (string.IsNullOrWhiteSpace(value)) return null;
        if (!Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
            throw new StartupException($"Bot:Metrics:OtlpEndpoint (or OTEL_EXPORTER_OTLP_ENDPOINT) must be an http(s) URL such as http://collector:4317 (got '{value}').");
        return uri;
    }

    /// <summary>One line per entry: the simple format on a single line with a UTC timestamp, or JSON lines with
    /// Bot:Logging:Json (Logging:Console:FormatterName, when set, wins). Connection failures lose their stack trace.</summary>
    private static void ConfigureConsole(IServiceCollection services, IConfiguration configuration, LoggingSettings logging)
    {
        var formatter = configuration["Logging:Console:FormatterName"] is { Length: > 0 } named ? named
            : logging.Json ? ConsoleFormatterNames.Json : ConsoleFormatterNames.Simple;
        services.Configure<ConsoleLoggerOptions>(o => o.FormatterName = formatter);
        var single = configuration["Logging:Console:FormatterOptions:SingleLine"];
        services.Configure<SimpleConsoleFormatterOptions>(o =>
        {
            if (single is null) o.SingleLine = true;
            o.UseUtcTimestamp = true;
            o.TimestampFormat ??= "yyyy-MM-ddTHH:mm:ss.fffZ ";
        });
        services.Configure<JsonConsoleFormatterOptions>(o =>
        {
            o.UseUtcTimestamp = true;
            o.TimestampFormat ??= "yyyy-MM-ddTHH:mm:ss.fffZ";
        });
        TransientFailureLoggerProvider.Decorate(services);
    }
}
