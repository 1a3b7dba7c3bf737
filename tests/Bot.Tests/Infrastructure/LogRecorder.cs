using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Bot.Tests.Infrastructure;

/// <summary>Keeps what the app logs (at the levels its configuration lets through), so a test can assert that a
/// tolerated failure was logged, and how often.</summary>
public sealed class LogRecorder : ILoggerProvider
{
    private readonly ConcurrentQueue<Entry> _entries = new();

    public sealed record Entry(string Category, LogLevel Level, string Message)
    {
        public Exception? Exception { get; init; }
    }

    public IReadOnlyList<Entry> Entries => [.. _entries];

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose() { }

    private sealed class Logger(LogRecorder recorder, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            recorder._entries.Enqueue(new Entry(category, logLevel, formatter(state, exception)) { Exception = exception });
    }
}
