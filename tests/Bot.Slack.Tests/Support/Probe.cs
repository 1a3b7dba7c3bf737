using System.Collections.Concurrent;

namespace Bot.Slack.Tests.Support;

/// <summary>Shared by test handlers (singleton): what ran, with what, and gates that hold a handler.</summary>
public sealed class Probe
{
    public ConcurrentQueue<(string Handler, object Input, object? Extra)> Calls { get; } = new();

    /// <summary>Handlers that wait on this are held until the test releases it.</summary>
    public TaskCompletionSource Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Record(string handler, object input, object? extra = null) => Calls.Enqueue((handler, input, extra));

    public int Count(string handler) => Calls.Count(c => c.Handler == handler);

    public (string Handler, object Input, object? Extra) Single(string handler) => Assert.Single(Calls, c => c.Handler == handler);
}
