namespace Bot.Operations;

/// <summary>Gives memory back once a burst is over. Server GC sizes its youngest generation by the CPU's cache and
/// keeps what it committed: after a burst of events at a low rate the bot held 58 MB committed for a 7 MB live
/// heap (RSS ≈ 180 MiB against ≈ 145 after a busier one). When the bot has allocated almost nothing for a second,
/// one aggressive collection (GCCollectionMode.Aggressive: compacts and decommits what is free) returns that
/// memory; it runs once per quiet spell, so a steady trickle of events does not trigger it again and again.
/// Workstation GC would keep less but cost about a fifth of the capture path's throughput (docs/benchmarks.md).</summary>
public sealed class IdleMemoryTrim(ILogger<IdleMemoryTrim> log) : BackgroundService
{
    // Real time: a test's fake clock must not decide when the process collects.
    private static readonly TimeProvider Clock = TimeProvider.System;
    private static readonly TimeSpan Every = TimeSpan.FromSeconds(1);

    /// <summary>Below this much allocated in a second the bot counts as quiet (Hangfire's polling and the timers
    /// allocate a few tens of KB a second).</summary>
    internal const long QuietBytes = 512 * 1024;

    /// <summary>Committed memory this far above the live heap is worth a collection.</summary>
    internal const long SlackBytes = 16 * 1024 * 1024;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Every, Clock);
        var allocated = GC.GetTotalAllocatedBytes();
        var trimmed = false;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var now = GC.GetTotalAllocatedBytes();
                var info = GC.GetGCMemoryInfo();
                var decision = Decide(now - allocated, info.TotalCommittedBytes, info.HeapSizeBytes, trimmed);
                allocated = now;
                trimmed = decision != Trim.Busy && (trimmed || decision == Trim.Now);
                if (decision != Trim.Now) continue;
                GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
                allocated = GC.GetTotalAllocatedBytes();
                log.LogDebug("Quiet: collected, {Committed} bytes committed now", GC.GetGCMemoryInfo().TotalCommittedBytes);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    internal enum Trim { Busy, Quiet, Now }

    /// <summary>Busy: allocating (a later quiet spell may trim again). Now: quiet, not trimmed in this spell, and
    /// enough committed beyond the live heap. Quiet: nothing to do.</summary>
    internal static Trim Decide(long allocatedSinceLast, long committed, long liveHeap, bool trimmedThisSpell)
    {
        if (allocatedSinceLast >= QuietBytes) return Trim.Busy;
        if (trimmedThisSpell || committed - liveHeap < SlackBytes) return Trim.Quiet;
        return Trim.Now;
    }
}
