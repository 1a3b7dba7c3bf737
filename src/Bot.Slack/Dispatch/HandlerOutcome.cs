using System.Data.Common;

namespace Bot.Slack.Dispatch;

/// <summary>How a handler run ended, worst last: handlers of one delivery combine to the worst.</summary>
internal enum HandlerOutcome
{
    Succeeded,

    /// <summary>A handler threw (logged). Running it again would most likely fail the same way.</summary>
    Failed,

    /// <summary>A handler's database call failed: worth running again when the database is back.</summary>
    StorageUnavailable,

    /// <summary>Cancelled by shutdown: the work stays stored for the next start.</summary>
    Interrupted,
}

internal static class HandlerOutcomes
{
    public static HandlerOutcome Worse(HandlerOutcome a, HandlerOutcome b) => a > b ? a : b;

    public static HandlerOutcome Of(Exception ex, CancellationToken stopping) =>
        ex is OperationCanceledException && stopping.IsCancellationRequested ? HandlerOutcome.Interrupted
        : IsStorageFailure(ex) ? HandlerOutcome.StorageUnavailable
        : HandlerOutcome.Failed;

    /// <summary>A database driver's exception anywhere in the chain (ADO.NET drivers, Npgsql among them, derive
    /// from DbException; Hangfire and others wrap them). The library needs no driver to recognise an outage.</summary>
    public static bool IsStorageFailure(Exception? ex)
    {
        for (var depth = 0; ex is not null && depth < 16; depth++)
        {
            if (ex is DbException) return true;
            if (ex is AggregateException all && all.InnerExceptions.Any(IsStorageFailure)) return true;
            ex = ex.InnerException;
        }
        return false;
    }
}
