using Hangfire.Logging;
using Microsoft.Extensions.Logging;
using HangfireLevel = Hangfire.Logging.LogLevel;
using MsLevel = Microsoft.Extensions.Logging.LogLevel;

namespace Bot.Jobs;

/// <summary>Hangfire logs through one process-wide provider. The stock one (set by AddHangfire) holds the
/// ILoggerFactory of the last app built in the process; once that app is disposed, every Hangfire call
/// that logs throws ObjectDisposedException — inside a worker that has just fetched a job, which then
/// stays invisible for the InvisibilityTimeout. This one drops such log lines instead.</summary>
internal sealed class HangfireLogProvider(ILoggerFactory factory) : ILogProvider
{
    public ILog GetLogger(string name) => new SafeLog(factory, name);

    private sealed class SafeLog(ILoggerFactory factory, string name) : ILog
    {
        private ILogger? _logger;

        public bool Log(HangfireLevel logLevel, Func<string>? messageFunc, Exception? exception = null)
        {
            try
            {
                var logger = _logger ??= factory.CreateLogger(name);
                var level = Map(logLevel);
                if (messageFunc is null)
                    return logger.IsEnabled(level);
                if (!logger.IsEnabled(level))
                    return false;
                logger.Log(level, 0, messageFunc(), exception, static (message, _) => message);
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
}
