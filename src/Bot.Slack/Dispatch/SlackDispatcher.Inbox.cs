using System.Text;
using Bot.Slack.Parsing;
using Microsoft.Extensions.Logging;

namespace Bot.Slack.Dispatch;

/// <summary>What runs after the ack: its lane (a channel id, or null for any), a description for the log, and
/// the handlers, which return their worst outcome.</summary>
internal sealed record AfterAckWork(string? Partition, string Description, Func<CancellationToken, Task<HandlerOutcome>> Run);

// The inbox: after-ack work is stored before the ack, run from memory, marked done; what a crash or an outage
// interrupted runs again from the stored row.
public sealed partial class SlackDispatcher
{
    /// <summary>Runs of one row before it is given up (marked done unrun, with an error in the log). Only database
    /// failures under a handler are retried; a handler that throws anything else ran, as before the inbox.</summary>
    internal const int MaxRuns = 10;

    /// <summary>Stores the item (within <paramref name="storeWithin"/>, what is left of the ack deadline) and queues its
    /// work. False: not stored or no room, so Slack must not be acknowledged.</summary>
    private async Task<bool> Accept(SlackInboxItem item, AfterAckWork work, TimeSpan storeWithin)
    {
        long? id;
        using (var deadline = new CancellationTokenSource(storeWithin > TimeSpan.Zero ? storeWithin : TimeSpan.FromMilliseconds(1)))
        {
            try
            {
                id = await inbox.Store(item, deadline.Token).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                log.LogWarning("Storing {Work} before the ack failed ({Reason})", work.Description, ex.GetType().Name + ": " + ex.Message);
                id = null;
            }
        }
        if (id is not { } stored)
        {
            log.LogWarning("Slack inbox cannot store {Work}; not acknowledging so Slack delivers it again", work.Description);
            metrics.Refused("not_stored");
            return false;
        }
        if (queue.TryEnqueue(work.Partition, work.Description, ct => RunStored(stored, work, 1, ct))) return true;

        log.LogWarning("Slack work queue is full; not acknowledging {Work} so Slack delivers it again", work.Description);
        metrics.Refused("busy");
        // Slack delivers it again as a new row: this one must not run too.
        await Finish(stored).ConfigureAwait(false);
        return false;
    }

    /// <summary>Runs stored work, then marks it done; a database failure under a handler schedules another run.</summary>
    private async Task RunStored(long id, AfterAckWork work, int run, CancellationToken ct)
    {
        var outcome = await work.Run(ct).ConfigureAwait(false);
        switch (outcome)
        {
            case HandlerOutcome.Interrupted:
                // Shutting down: the row stays stored and the next process to start (or another replica) runs it.
                return;
            case HandlerOutcome.StorageUnavailable when run < MaxRuns:
                var wait = RetryDelay(run);
                log.LogWarning("{Work} could not reach the database (run {Run}); running it again in {Wait}", work.Description, run, wait);
                retries.Add(new SlackInboxRetries.Retry(id, work, run + 1, Clock.GetUtcNow() + wait));
                return;
            case HandlerOutcome.StorageUnavailable:
                log.LogError("{Work} could not reach the database in {Runs} runs; giving it up", work.Description, run);
                break;
        }
        await Finish(id).ConfigureAwait(false);
    }

    private TimeSpan RetryDelay(int run)
    {
        var first = options.Value.InboxPollInterval;
        var delay = first * Math.Pow(2, Math.Min(run - 1, 10));
        return delay > TimeSpan.FromMinutes(1) ? TimeSpan.FromMinutes(1) : delay;
    }

    /// <summary>Marks the row done; when the database cannot take that now, the retry list tries again.</summary>
    private async Task Finish(long id)
    {
        try
        {
            await inbox.Done(id, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            log.LogWarning("Marking Slack inbox row {Id} done failed ({Reason}); trying again later", id, ex.Message);
            retries.Add(new SlackInboxRetries.Retry(id, null, 0, Clock.GetUtcNow() + options.Value.InboxPollInterval));
        }
    }

    /// <summary>A due retry: a done marker that could not be written, or a run the database interrupted, which
    /// runs again only while the row is still this process's (another replica may have taken it meanwhile).</summary>
    internal async Task RunRetry(SlackInboxRetries.Retry retry)
    {
        if (retry.Work is null)
        {
            await Finish(retry.Id).ConfigureAwait(false);
            return;
        }
        bool ours;
        try
        {
            ours = await inbox.Reclaim(retry.Id, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            log.LogDebug("Reclaiming Slack inbox row {Id} failed ({Reason}); later", retry.Id, ex.Message);
            retries.Add(retry with { DueAt = Clock.GetUtcNow() + options.Value.InboxPollInterval });
            return;
        }
        if (!ours) return;
        if (!queue.TryEnqueue(retry.Work.Partition, retry.Work.Description, ct => RunStored(retry.Id, retry.Work, retry.Run, ct)))
            retries.Add(retry with { DueAt = Clock.GetUtcNow() + options.Value.InboxPollInterval });
    }

    /// <summary>A row a dead process left: parsed again from what Slack sent and run through the same handlers.
    /// Before-ack handlers already succeeded before the row was stored, so only the after-ack work runs.</summary>
    internal async Task Replay(SlackInboxRow row)
    {
        AfterAckWork? work;
        try
        {
            work = row.Item.Kind switch
            {
                SlackInboxKind.Event => EventWork(EventContext(row)),
                SlackInboxKind.Interaction => InteractionWork(SlackParser.ParseInteraction(row.Item.Body)),
                _ => null,
            };
        }
        catch (SlackParseException ex)
        {
            log.LogError("Slack inbox row {Id} does not parse ({Reason}); dropping it", row.Id, ex.Message);
            work = null;
        }
        if (work is null)
        {
            await Finish(row.Id).ConfigureAwait(false);
            return;
        }
        if (row.Attempts > MaxRuns)
        {
            log.LogError("{Work} (Slack inbox row {Id}) was begun {Runs} times without finishing; giving it up", work.Description, row.Id, row.Attempts - 1);
            await Finish(row.Id).ConfigureAwait(false);
            return;
        }
        log.LogInformation("Replaying {Work} (Slack inbox row {Id}, run {Run}) that another process acknowledged but did not finish",
            work.Description, row.Id, row.Attempts);
        if (!queue.TryEnqueue(work.Partition, work.Description, ct => RunStored(row.Id, work, row.Attempts, ct)))
            retries.Add(new SlackInboxRetries.Retry(row.Id, work, row.Attempts, Clock.GetUtcNow() + options.Value.InboxPollInterval));
    }

    private static Handlers.EventContext EventContext(SlackInboxRow row) =>
        Handlers.EventContext.For(SlackParser.ParseEventCallback(Encoding.UTF8.GetBytes(row.Item.Body)), null, null, row.Item.Transport);
}
