using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Bot.Slack.Testing;

// Recording of calls, waiting for them, and failure injection.
public sealed partial class FakeSlack
{
    private readonly List<RecordedCall> _calls = [];
    private readonly Dictionary<string, Queue<Failure>> _failures = new(StringComparer.Ordinal);

    /// <summary>Completed and replaced whenever anything is recorded, so waiters wake without polling.</summary>
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Every Web API call so far, in order.</summary>
    public IReadOnlyList<RecordedCall> Calls
    {
        get { lock (_gate) return [.. _calls]; }
    }

    public IReadOnlyList<RecordedCall> CallsTo(string method)
    {
        lock (_gate) return _calls.Where(c => c.Method == method).ToList();
    }

    /// <summary>The first call to <paramref name="method"/> matching <paramref name="predicate"/> (already made or
    /// still to come); TimeoutException listing the calls seen when none arrives in time.</summary>
    public Task<RecordedCall> WaitForCall(string method, Func<RecordedCall, bool>? predicate = null, TimeSpan? timeout = null) =>
        WaitUntil(
            () => CallsTo(method).FirstOrDefault(c => predicate?.Invoke(c) ?? true),
            timeout,
            () => $"No matching call to {method}. Calls so far:\n  {string.Join("\n  ", Calls)}");

    /// <summary>Waits until <paramref name="count"/> calls to the method have been made; returns them.</summary>
    public Task<IReadOnlyList<RecordedCall>> WaitForCalls(string method, int count, TimeSpan? timeout = null) =>
        WaitUntil<IReadOnlyList<RecordedCall>>(
            () => CallsTo(method) is { } calls && calls.Count >= count ? calls : null,
            timeout,
            () => $"Expected {count} calls to {method}, saw {CallsTo(method).Count}. Calls so far:\n  {string.Join("\n  ", Calls)}");

    /// <summary>The next <paramref name="count"/> calls to <paramref name="method"/> fail as <paramref name="failure"/>
    /// says (after auth, before validation); later calls are answered normally.</summary>
    public void FailNext(string method, int count, Failure failure)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        lock (_gate)
        {
            if (!_failures.TryGetValue(method, out var queue)) _failures[method] = queue = new Queue<Failure>();
            for (var i = 0; i < count; i++) queue.Enqueue(failure);
        }
    }

    public void FailNext(string method, Failure failure) => FailNext(method, 1, failure);

    private Failure? TakeFailure(string method)
    {
        lock (_gate)
            return _failures.TryGetValue(method, out var queue) && queue.TryDequeue(out var failure) ? failure : null;
    }

    private void Record(string method, SlackArgs args, int status, JsonObject? body)
    {
        var ok = body?["ok"]?.GetValue<bool>() ?? false;
        var error = body?["error"]?.GetValue<string>() ?? (status >= 400 && body is null ? $"http_{status}" : null);
        var unknown = _spec.Find(method) is { } spec ? args.Values.Keys.Where(k => !spec.Known.Contains(k)).ToList() : [];
        var call = new RecordedCall(method, args, _time.GetUtcNow(), status, ok, error, body?.DeepClone()) { UnknownArguments = unknown };
        lock (_gate) _calls.Add(call);
        Signal();
    }

    private void Signal()
    {
        TaskCompletionSource old;
        lock (_gate)
        {
            old = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        old.TrySetResult();
    }

    /// <summary>Re-evaluates <paramref name="probe"/> each time something is recorded, until it returns a value or
    /// the deadline passes. The deadline is wall-clock time (a FakeTimeProvider would never expire it).</summary>
    private async Task<T> WaitUntil<T>(Func<T?> probe, TimeSpan? timeout, Func<string> describe) where T : class
    {
        var limit = timeout ?? _options.DefaultTimeout;
        var clock = Stopwatch.StartNew();
        while (true)
        {
            Task changed;
            lock (_gate) changed = _changed.Task; // taken before probing, so nothing recorded in between is missed
            if (probe() is { } found) return found;
            var remaining = limit - clock.Elapsed;
            if (remaining <= TimeSpan.Zero) throw new TimeoutException($"After {limit.TotalSeconds:0.#} s: {describe()}");
            await Task.WhenAny(changed, Task.Delay(remaining));
        }
    }
}
