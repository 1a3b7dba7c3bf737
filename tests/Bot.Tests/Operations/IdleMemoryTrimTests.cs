using Bot.Operations;
using static Bot.Operations.IdleMemoryTrim;

namespace Bot.Tests.Operations;

/// <summary>When the idle trim collects: once per quiet spell, only with enough committed beyond the live heap,
/// never while the bot allocates. (What it gives back is measured by the benchmark, docs/benchmarks.md.)</summary>
public sealed class IdleMemoryTrimTests
{
    private const long MB = 1024 * 1024;

    [Fact]
    public void Busy_WhileAllocating_EvenWithMuchCommitted()
    {
        Assert.Equal(Trim.Busy, Decide(QuietBytes, 200 * MB, 7 * MB, trimmedThisSpell: false));
        Assert.Equal(Trim.Busy, Decide(8 * MB, 200 * MB, 7 * MB, trimmedThisSpell: true));
    }

    [Fact]
    public void Quiet_WithMuchCommitted_TrimsOnce_ThenNotAgainUntilBusy()
    {
        Assert.Equal(Trim.Now, Decide(QuietBytes - 1, 58 * MB, 7 * MB, trimmedThisSpell: false));
        Assert.Equal(Trim.Quiet, Decide(0, 58 * MB, 7 * MB, trimmedThisSpell: true));
    }

    [Fact]
    public void Quiet_WithLittleCommittedBeyondTheLiveHeap_DoesNothing()
    {
        Assert.Equal(Trim.Quiet, Decide(0, 7 * MB + SlackBytes - 1, 7 * MB, trimmedThisSpell: false));
        Assert.Equal(Trim.Now, Decide(0, 7 * MB + SlackBytes, 7 * MB, trimmedThisSpell: false));
    }
}
