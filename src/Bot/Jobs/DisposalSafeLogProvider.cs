using Hangfire.Logging;
using Microsoft.Extensions.Logging;
using HangfireLevel = Hangfire.Logging.LogLevel;
using MsLevel = Microsoft.Extensions.Logging.LogLevel;

namespace Bot.Jobs;

/// <summary>Hangfire's log provider is process-global (the last app built sets it). With several app
/// instances in one process (the tests), one app's disposed LoggerFactory would otherwise break the
/// workers of every other app ("Cannot access a disposed object", workers stop fetching jobs).
/// This provider logs through the factory while it lives and goes quiet once it is disposed.</summary>
internal sealed class DisposalSafeLogProvider(ILoggerFactory factory) : ILogProvider
{
    public ILog GetLogger(string name)
    {
        try
        {
            return new Logger(factory.CreateLogger(name));
        }
        catch (ObjectDisposedException)
        {
            return Quiet.Instance;
        }
    }

    private sealed class Logger(ILogger logger) : ILog
    {
        public bool Log(HangfireLevel level, Func<string>? messageFunc, Exception? exception = null)
        {
            try
            {
                var ms = Map(level);
                if (messageFunc is null) return logger.IsEnabled(ms);
                if (!logger.IsEnabled(ms)) return false;
                logger.Log(ms, 0, exception, "{Message}", messageFunc());
                return true;
            }
            catch (ObjectDisposedException)
            {
                return false;
            }
        }

        private static MsLevel Map(HangfireLevel level) => level switch
        {
            HangfireLevel.Trace => MsLevel.Trace,
            HangfireLevel.Debug => MsLevel.Debug,
            HangfireLevel.Info => MsLevel.Information,
            HangfireLevel.Warn => MsLevel.Warning,
            HangfireLevel.Error => MsLevel.Error,
            _ => MsLevel.Critical,
        };
    }

    private sealed class Quiet : ILog
    {
        public static readonly Quiet Instance = new();
        public bool Log(HangfireLevel level, Func<string>? messageFunc, Exception? exception = null) => false;
    }
}
