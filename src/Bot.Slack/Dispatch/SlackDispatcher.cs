using System.Text;
using Bot.Slack.Diagnostics;
using Bot.Slack.Events;
using Bot.Slack.Handlers;
using Bot.Slack.Interactivity;
using Bot.Slack.WebApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bot.Slack.Dispatch;

/// <summary>What to answer Slack with. Accepted = false: the work could not be stored or queued, so do not ack
/// (HTTP 503 / no Socket Mode ack) and Slack delivers again.</summary>
public readonly record struct SlackAck(bool Accepted, object? Body)
{
    public static readonly SlackAck Empty = new(true, null);
    public static readonly SlackAck Busy = new(false, null);
}

/// <summary>Routes parsed Slack input to handlers; shared by the HTTP endpoints and the Socket Mode client, so
/// handlers cannot tell the transport apart (except EventContext.Transport). Events, block actions, shortcuts
/// and view_closed run after the ack on <see cref="SlackWorkQueue"/>, and are written to the
/// <see cref="ISlackInbox"/> before the ack so a crash after it loses nothing; slash commands and view submissions
/// run at once and answer inline if they finish within SlackOptions.AckDeadline. A handler's exception is logged
/// and never changes the ack, except a database failure: a slash command then gets
/// SlackOptions.StorageUnavailableText and a view submission is not acknowledged.</summary>
public sealed partial class SlackDispatcher(
    SlackHandlerRegistry registry,
    IServiceScopeFactory scopes,
    IServiceProvider services,
    SlackWorkQueue queue,
    ISlackInbox inbox,
    SlackInboxRetries retries,
    IOptions<SlackOptions> options,
    ILogger<SlackDispatcher> log,
    SlackMetrics metrics)
{
    // The ack deadline is about Slack's real 3 s, not the app's clock: a FakeTimeProvider in the app's
    // tests must not stop slow commands from being acked.
    private static readonly TimeProvider Clock = TimeProvider.System;

    /// <summary>Runs the event's <see cref="EventTiming.BeforeAck"/> handlers (within the ack deadline), then
    /// stores and queues the others. Not accepted when a before-ack handler failed or ran late, or the after-ack work
    /// could not be stored or queued: Slack is then not acknowledged and delivers the event again.</summary>
    /// <param name="rawEnvelope">The event_callback JSON as Slack sent it, kept so the work can be replayed after a crash.</param>
    public async Task<SlackAck> HandleEvent(EventContext context, ReadOnlyMemory<byte> rawEnvelope = default)
    {
        var slackEvent = context.Envelope.Event;
        metrics.Received(slackEvent.Type);
        var started = Clock.GetTimestamp();
        var beforeAck = registry.EventHandlersFor(slackEvent.GetType(), EventTiming.BeforeAck);
        if (beforeAck.Length > 0)
        {
            var run = RunBeforeAck(beforeAck, slackEvent, context);
            if (!await FinishesBeforeDeadline(run).ConfigureAwait(false))
            {
                log.LogWarning("Slack event {EventId} ({EventType}) was not recorded within the ack deadline; not acknowledging so Slack delivers it again",
                    context.EventId, slackEvent.Type);
                queue.Track(run);
                metrics.Refused("not_recorded");
                return SlackAck.Busy;
            }
            if (run.Result != HandlerOutcome.Succeeded)
            {
                metrics.Refused("not_recorded");
                return SlackAck.Busy;
            }
        }
        // The inbox write gets what the before-ack handlers left of the deadline.
        var left = options.Value.AckDeadline - Clock.GetElapsedTime(started);
        var accepted = await EnqueueEvent(context, rawEnvelope, left).ConfigureAwait(false);
        if (accepted) metrics.Stored();
        return accepted ? SlackAck.Empty : SlackAck.Busy;
    }

    /// <summary>Runs on the request's own thread up to the handler's first await: no hop to the thread pool and back
    /// for every captured event (the capture path's CPU is mostly such hops and waits). A before-ack handler
    /// must therefore not block before it awaits (the capture handlers queue their write and await the commit); the
    /// deadline holds from its first await on.</summary>
    private Task<HandlerOutcome> RunBeforeAck(SlackHandlerRegistry.EventRegistration[] handlers, SlackEvent slackEvent, EventContext context) =>
        RunEventHandlers(handlers, slackEvent, context, stopAtFailure: true, queue.StoppingToken);

    /// <summary>Stores and queues the event's after-ack handlers. True when queued (or nothing handles it after the ack).</summary>
    public Task<bool> EnqueueEvent(EventContext context, ReadOnlyMemory<byte> rawEnvelope = default) =>
        EnqueueEvent(context, rawEnvelope, options.Value.AckDeadline);

    private async Task<bool> EnqueueEvent(EventContext context, ReadOnlyMemory<byte> rawEnvelope, TimeSpan storeWithin)
    {
        var work = EventWork(context);
        if (work is null)
        {
            log.LogDebug("No after-ack handler for Slack event {EventType} ({EventId})", context.Envelope.Event.Type, context.EventId);
            return true;
        }
        var item = new SlackInboxItem(SlackInboxKind.Event, context.Transport, work.Partition, Encoding.UTF8.GetString(rawEnvelope.Span));
        return await Accept(item, work, storeWithin).ConfigureAwait(false);
    }

    private AfterAckWork? EventWork(EventContext context)
    {
        var slackEvent = context.Envelope.Event;
        var handlers = Wanted(registry.EventHandlersFor(slackEvent.GetType(), EventTiming.AfterAck), slackEvent, context);
        if (handlers.Length == 0) return null;
        // After the ack nobody waits for the outcome: one failing handler must not keep the others from running.
        return new AfterAckWork(SlackEventChannel.Of(slackEvent), $"event {slackEvent.Type} {context.EventId}",
            ct => RunEventHandlers(handlers, slackEvent, context, stopAtFailure: false, ct));
    }

    /// <summary>The after-ack handlers whose condition (SlackBuilder.AddEventHandler's when) takes this event; the
    /// registry's own array when none has a condition.</summary>
    private SlackHandlerRegistry.EventRegistration[] Wanted(SlackHandlerRegistry.EventRegistration[] handlers, SlackEvent slackEvent, EventContext context) =>
        Array.TrueForAll(handlers, static h => h.Applies is null) ? handlers
            : Array.FindAll(handlers, h => Applies(h, slackEvent, context));

    /// <summary>A condition that fails (say, it reads a cached state and the database is down) counts as wanting the
    /// event: the event is stored and the handler, which checks again when it runs, decides. Never a lost event.</summary>
    private bool Applies(SlackHandlerRegistry.EventRegistration handler, SlackEvent slackEvent, EventContext context)
    {
        if (handler.Applies is not { } when) return true;
        try
        {
            return when(services, slackEvent, context);
        }
        catch (Exception ex)
        {
            log.LogWarning("The condition of {Handler} failed for event {EventId} ({Reason}); running it", handler.HandlerType.Name,
                context.EventId, ex.GetType().Name + ": " + ex.Message);
            return true;
        }
    }

    /// <summary>Runs the handlers in one DI scope, logging each failure; the worst outcome.</summary>
    private async Task<HandlerOutcome> RunEventHandlers(SlackHandlerRegistry.EventRegistration[] handlers, SlackEvent slackEvent,
        EventContext context, bool stopAtFailure, CancellationToken ct)
    {
        var outcome = HandlerOutcome.Succeeded;
        await using var scope = scopes.CreateAsyncScope();
        foreach (var handler in handlers)
        {
            try
            {
                await handler.Invoke(scope.ServiceProvider, slackEvent, context, ct).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                log.LogError(ex,
                    "Slack event handler {Handler} failed for event {EventId} (team {TeamId}, type {EventType}, subtype {Subtype}, retry {RetryNum}, transport {Transport})",
                    handler.HandlerType.Name, context.EventId, context.TeamId, slackEvent.Type,
                    (slackEvent as MessageEvent)?.Subtype, context.RetryNum, context.Transport);
                outcome = HandlerOutcomes.Worse(outcome, HandlerOutcomes.Of(ex, ct));
                if (stopAtFailure) break;
            }
        }
        return outcome;
    }

    /// <summary>Runs the command's handler; its reply is the ack body when it finishes within the ack
    /// deadline, otherwise the ack is empty and the reply goes to response_url when ready. A handler whose
    /// database call failed is answered with SlackOptions.StorageUnavailableText.</summary>
    public async Task<SlackAck> HandleSlashCommand(SlashCommand command)
    {
        metrics.Received("slash_command");
        var handlerType = registry.SlashCommands.Find(command.Command);
        if (handlerType is null)
        {
            log.LogWarning("No handler for slash command {Command} (team {TeamId})", command.Command, command.TeamId);
            return SlackAck.Empty;
        }
        var describe = $"slash command {command.Command} (team {command.TeamId}, user {command.UserId}, channel {command.ChannelId})";
        var run = RunScoped<ISlashCommandHandler, MessageResponse?>(handlerType, describe,
            (h, ct) => h.Handle(command, ct));
        if (await FinishesBeforeDeadline(run).ConfigureAwait(false)) return new SlackAck(true, CommandReply(run.Result));

        log.LogInformation("{Work} passed the ack deadline; its reply will go to response_url", describe);
        queue.Track(ReplyLate(run, command.ResponseUrl, describe));
        return SlackAck.Empty;
    }

    private MessageResponse? CommandReply((MessageResponse? Reply, HandlerOutcome Outcome) run) =>
        run.Outcome == HandlerOutcome.StorageUnavailable ? MessageResponse.Ephemeral(options.Value.StorageUnavailableText) : run.Reply;

    /// <summary>Routes an interactivity payload. Only view_submission can put something in the ack.</summary>
    /// <param name="rawPayload">The payload JSON as Slack sent it, kept so the work can be replayed after a crash.</param>
    public async Task<SlackAck> HandleInteraction(InteractionPayload payload, string? rawPayload = null,
        SlackTransport transport = SlackTransport.Http)
    {
        metrics.Received(payload.Type);
        if (payload is ViewSubmissionPayload submission)
            return await HandleViewSubmission(submission).ConfigureAwait(false);
        var work = InteractionWork(payload);
        if (work is null) return SlackAck.Empty;
        var item = new SlackInboxItem(SlackInboxKind.Interaction, transport, work.Partition, rawPayload ?? "");
        return await Accept(item, work, options.Value.AckDeadline).ConfigureAwait(false) ? SlackAck.Empty : SlackAck.Busy;
    }

    /// <summary>The after-ack work of a block action, shortcut or view_closed; null when nothing handles it.</summary>
    private AfterAckWork? InteractionWork(InteractionPayload payload)
    {
        switch (payload)
        {
            case BlockActionsPayload actions:
                // "actions":[null] is valid JSON that no model check catches: a null action routes nowhere.
                var routed = actions.Actions.OfType<BlockAction>()
                    .Select(a => (Action: a, Handler: registry.BlockActions.Find(a.ActionId)))
                    .Where(x => x.Handler is not null)
                    .ToArray();
                if (routed.Length == 0) return Unrouted(registry.BlockActions, string.Join(",", actions.Actions.OfType<BlockAction>().Select(a => a.ActionId)), payload);
                return new AfterAckWork(actions.Channel?.Id ?? actions.Container?.ChannelId,
                    $"block_actions {string.Join(",", routed.Select(r => r.Action.ActionId))}", async ct =>
                {
                    var outcome = HandlerOutcome.Succeeded;
                    await using var scope = scopes.CreateAsyncScope();
                    foreach (var (action, handlerType) in routed)
                        outcome = HandlerOutcomes.Worse(outcome, await Guard(handlerType!, $"block action {action.ActionId}", payload, ct,
                            () => ((IBlockActionHandler)scope.ServiceProvider.GetRequiredService(handlerType!)).Handle(action, actions, ct)));
                    return outcome;
                });

            case ViewClosedPayload closed:
                return Background<IViewClosedHandler>(registry.ViewClosed, closed.View.CallbackId, payload, (h, ct) => h.Handle(closed, ct));

            case MessageShortcutPayload shortcut:
                return Background<IMessageShortcutHandler>(registry.MessageShortcuts, shortcut.CallbackId, payload, (h, ct) => h.Handle(shortcut, ct));

            case GlobalShortcutPayload shortcut:
                return Background<IGlobalShortcutHandler>(registry.GlobalShortcuts, shortcut.CallbackId, payload, (h, ct) => h.Handle(shortcut, ct));

            default:
                log.LogDebug("Ignoring Slack interaction of type {Type} (team {TeamId})", payload.Type, payload.Team?.Id);
                return null;
        }
    }

    private async Task<SlackAck> HandleViewSubmission(ViewSubmissionPayload submission)
    {
        var callbackId = submission.View.CallbackId;
        var handlerType = registry.ViewSubmissions.Find(callbackId);
        if (handlerType is null)
        {
            Unrouted(registry.ViewSubmissions, callbackId, submission);
            return SlackAck.Empty;
        }

        var describe = $"view_submission {callbackId} (team {submission.Team?.Id}, user {submission.User?.Id})";
        var run = RunScoped<IViewSubmissionHandler, ViewSubmissionResponse?>(handlerType, describe,
            (h, ct) => h.Handle(submission, ct));
        if (await FinishesBeforeDeadline(run).ConfigureAwait(false))
        {
            // Not acknowledged, Slack keeps the modal open with its own error, and the user can submit again;
            // an empty 200 would close it as if the submission had been saved.
            if (run.Result.Outcome == HandlerOutcome.StorageUnavailable) return SlackAck.Busy;
            return new SlackAck(true, run.Result.Reply);
        }

        // A late view response has nowhere to go: the modal has already closed.
        log.LogWarning("{Work} passed the ack deadline; the modal closed and its response is dropped", describe);
        queue.Track(run);
        return SlackAck.Empty;
    }

    private AfterAckWork? Background<THandler>(SlackHandlerRegistry.RouteTable table, string? key, InteractionPayload payload,
        Func<THandler, CancellationToken, Task> handle) where THandler : notnull
    {
        var handlerType = table.Find(key);
        if (handlerType is null) return Unrouted(table, key, payload);
        var describe = $"{payload.Type} {key}";
        var partition = payload switch
        {
            MessageShortcutPayload m => m.Channel?.Id,
            _ => null,
        };
        return new AfterAckWork(partition, describe, async ct =>
        {
            await using var scope = scopes.CreateAsyncScope();
            return await Guard(handlerType, describe, payload, ct,
                () => handle((THandler)scope.ServiceProvider.GetRequiredService(handlerType), ct)).ConfigureAwait(false);
        });
    }

    private AfterAckWork? Unrouted(SlackHandlerRegistry.RouteTable table, string? key, InteractionPayload payload)
    {
        log.LogWarning("No handler for {Kind} '{Key}' (team {TeamId})", table.Kind, key, payload.Team?.Id);
        return null;
    }

    private async Task<HandlerOutcome> Guard(Type handlerType, string describe, InteractionPayload payload, CancellationToken ct, Func<Task> run)
    {
        try
        {
            await run().ConfigureAwait(false);
            return HandlerOutcome.Succeeded;
        }
        catch (Exception ex)
        {
            log.LogError(ex, "Slack handler {Handler} failed for {Work} (team {TeamId}, user {UserId})",
                handlerType.Name, describe, payload.Team?.Id, payload.User?.Id);
            return HandlerOutcomes.Of(ex, ct);
        }
    }

    /// <summary>Runs a handler in its own scope on the thread pool (so a handler that blocks cannot hold the
    /// ack); exceptions are logged and become a null reply with the outcome.</summary>
    private Task<(TResult? Reply, HandlerOutcome Outcome)> RunScoped<THandler, TResult>(Type handlerType, string describe,
        Func<THandler, CancellationToken, Task<TResult?>> handle) where THandler : notnull =>
        Task.Run(async () =>
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var handler = (THandler)scope.ServiceProvider.GetRequiredService(handlerType);
                return (await handle(handler, queue.StoppingToken).ConfigureAwait(false), HandlerOutcome.Succeeded);
            }
            catch (Exception ex)
            {
                log.LogError(ex, "Slack handler {Handler} failed for {Work}", handlerType.Name, describe);
                return (default(TResult), HandlerOutcomes.Of(ex, queue.StoppingToken));
            }
        });

    /// <summary>Whether the run finished within the ack deadline (however it ended: its outcome is read after).
    /// WaitAsync with SuppressThrowing is one timer and no exception on a timeout, so every event pays little for it.</summary>
    private async Task<bool> FinishesBeforeDeadline(Task run)
    {
        if (run.IsCompleted) return true;
        await run.WaitAsync(options.Value.AckDeadline, Clock).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        return run.IsCompleted;
    }

    private async Task ReplyLate(Task<(MessageResponse? Reply, HandlerOutcome Outcome)> run, string? responseUrl, string describe)
    {
        var reply = CommandReply(await run.ConfigureAwait(false));
        if (reply is null) return;
        if (string.IsNullOrEmpty(responseUrl))
        {
            log.LogWarning("{Work} finished late with a reply but has no response_url", describe);
            return;
        }
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var api = scope.ServiceProvider.GetRequiredService<ISlackApi>();
            await api.Respond(responseUrl, reply, queue.StoppingToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            log.LogError(ex, "Posting the late reply of {Work} to response_url failed", describe);
        }
    }
}
