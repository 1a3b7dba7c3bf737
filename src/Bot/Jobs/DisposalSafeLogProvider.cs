using Hangfire.AspNetCore;
using Hangfire.Logging;

namespace Bot.Jobs;

/// <summary>Hangfire's log provider is process-global (LibLog), and Hangfire.AspNetCore points it at the
/// ILoggerFactory of the app that resolved Hangfire's configuration last. When an app in the same process is
/// disposed (tests run several instances, and restart them), every later Hangfire component in the other apps
/// failed creating its logger with ObjectDisposedException (new BackgroundJobClient: enqueueing threw). This
/// provider logs through the factory while it lives and goes quiet after.</summary>
internal sealed class DisposalSafeLogProvider(ILoggerFactory loggerFactory) : ILogProvider
{
    private readonly AspNetCoreLogProvider _inner = new(loggerFactory);

    public ILog GetLogger(string name)
    {
        try
        {
            return _inner.GetLogger(name);
        }
        catch (ObjectDisposedException)
        {
            return Quiet.Instance;
        }
    }

    private sealed class Quiet : ILog
    {
        public static readonly Quiet Instance = new();
        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null) => false;
    }
}
