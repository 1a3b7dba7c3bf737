using System.Net.Sockets;
using System.Net.WebSockets;
using Bot.Slack.WebApi;
using Microsoft.Extensions.Logging.Console;
using Npgsql;

namespace Bot.Operations;

/// <summary>Which exceptions are a connection failure (Slack or PostgreSQL unreachable, refused, timed out) rather than a
/// bug: for those a stack trace says nothing an operator can use, the cause does.</summary>
public static class TransientFailure
{
    private static readonly HashSet<string> SlackTransient = new(StringComparer.Ordinal) { "network_error", "timeout", "ratelimited" };

    /// <summary>"the failure: its innermost cause", or null when the exception is not a connection failure.</summary>
    public static string? Describe(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            var transient = e switch
            {
                SlackApiException s => SlackTransient.Contains(s.Error) || s.Error.StartsWith("http_5", StringComparison.Ordinal),
                NpgsqlException n => n.IsTransient,
                HttpRequestException or SocketException or WebSocketException or TimeoutException => true,
                _ => false,
            };
            if (!transient) continue;
            var root = e.GetBaseException();
            return ReferenceEquals(root, e) || root.Message == e.Message ? e.Message : $"{e.Message}: {root.Message}";
        }
        return null;
    }
}

/// <summary>Wraps the console logger: an entry whose exception is a connection failure becomes one line (the message and
/// its cause; an error becomes a warning) instead of a stack trace, wherever it is logged (the Web API client, Socket
/// Mode, Hangfire's retries and storage errors, handlers and jobs). Any other exception is written as it is.</summary>
[ProviderAlias("Console")]
internal sealed class TransientFailureLoggerProvider(ILoggerProvider inner) : ILoggerProvider, ISupportExternalScope
{
    public ILogger CreateLogger(string categoryName) => new OneLine(inner.CreateLogger(categoryName));

    public void SetScopeProvider(IExternalScopeProvider scopeProvider)
    {
        if (inner is ISupportExternalScope scoped) scoped.SetScopeProvider(scopeProvider);
    }

    public void Dispose() => inner.Dispose();

    /// <summary>Puts the wrapper around the console provider the host registered, if it is still there (tests clear it).</summary>
    public static void Decorate(IServiceCollection services)
    {
        var console = services.FirstOrDefault(d => d.ServiceType == typeof(ILoggerProvider) && d.ImplementationType == typeof(ConsoleLoggerProvider));
        if (console is null) return;
        services.Remove(console);
        services.AddSingleton<ILoggerProvider>(sp => new TransientFailureLoggerProvider(new ConsoleLoggerProvider(
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<ConsoleLoggerOptions>>(),
            sp.GetServices<ConsoleFormatter>())));
    }

    private sealed class OneLine(ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (exception is null || TransientFailure.Describe(exception) is not { } cause)
            {
                inner.Log(logLevel, eventId, state, exception, formatter);
                return;
            }
            var level = logLevel == LogLevel.Error ? LogLevel.Warning : logLevel;
            if (!inner.IsEnabled(level)) return;
            inner.Log(level, eventId, state, null, (s, _) =>
            {
                var message = formatter(s, exception);
                return message.Contains(cause, StringComparison.Ordinal) ? message : $"{message} (cause: {cause})";
            });
        }
    }
}
