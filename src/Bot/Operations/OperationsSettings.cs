namespace Bot.Operations;

/// <summary>Bot:Metrics settings: where metrics go. Neither set: no exporter runs and the instruments cost nothing.</summary>
public sealed class MetricsSettings
{
    public const string SectionName = "Metrics";

    /// <summary>Maps GET /metrics (Prometheus text format). Off by default: whoever reaches the port can read it.</summary>
    public bool Prometheus { get; set; }

    /// <summary>An OTLP collector (http://collector:4317 for gRPC). The standard OTEL_EXPORTER_OTLP_ENDPOINT works too
    /// (with OTEL_EXPORTER_OTLP_PROTOCOL and the other OTEL_ variables).</summary>
    public string? OtlpEndpoint { get; set; }
}

/// <summary>Bot:Logging settings.</summary>
public sealed class LoggingSettings
{
    public const string SectionName = "Logging";

    /// <summary>JSON console lines (one object per line) instead of the one-line text format.</summary>
    public bool Json { get; set; }
}

/// <summary>Bot:Shutdown settings.</summary>
public sealed class ShutdownSettings
{
    public const string SectionName = "Shutdown";

    /// <summary>How long a stop (SIGTERM, Ctrl+C) waits for in-flight HTTP requests, queued Slack work and running jobs
    /// before it cancels what is left. Keep it under the orchestrator's own grace period (Kubernetes: 30 s).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(25);
}
