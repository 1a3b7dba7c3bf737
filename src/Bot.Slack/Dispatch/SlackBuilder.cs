using Bot.Slack.Events;
using Bot.Slack.Handlers;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Slack.Dispatch;

/// <summary>Registers handlers and their routing keys. Each handler class is scoped: one DI scope per
/// Slack request. A routing key registered twice throws here, while the app is starting.</summary>
public sealed class SlackBuilder
{
    internal SlackBuilder(IServiceCollection services, SlackHandlerRegistry registry)
    {
        Services = services;
        Registry = registry;
    }

    public IServiceCollection Services { get; }
    internal SlackHandlerRegistry Registry { get; }

    /// <summary>THandler runs for every event of type TEvent (TEvent = SlackEvent: every event); after the ack
    /// by default. <see cref="EventTiming.BeforeAck"/> is for short handlers that record the event durably: Slack
    /// is answered only once they succeed, so a failure (or a crash) means Slack delivers the event again.
    /// Several handlers may share one event type.</summary>
    /// <param name="when">For an after-ack handler that has something to do only now and then (TEvent = SlackEvent
    /// sees every message): asked on the request path with the root services (singletons), it decides whether the
    /// handler runs for this event. An event no after-ack handler wants is not stored in the Slack inbox, so a
    /// handler that is idle almost always costs no write per event. Cheap and synchronous.</param>
    public SlackBuilder AddEventHandler<TEvent, THandler>(EventTiming timing = EventTiming.AfterAck,
        Func<IServiceProvider, TEvent, EventContext, bool>? when = null)
        where TEvent : SlackEvent
        where THandler : class, IEventHandler<TEvent>
    {
        if (when is not null && timing != EventTiming.AfterAck)
            throw new ArgumentException("Only after-ack handlers take a condition: a before-ack handler records the event.", nameof(when));
        Registry.AddEvent<TEvent, THandler>(timing, when);
        Services.AddScoped<THandler>();
        return this;
    }

    /// <summary>The handler for one slash command, e.g. "/incident" (the leading slash is added when missing).</summary>
    public SlackBuilder AddSlashCommand<THandler>(string command) where THandler : class, ISlashCommandHandler =>
        Add<THandler>(Registry.SlashCommands, command.StartsWith('/') ? command : "/" + command);

    public SlackBuilder AddBlockAction<THandler>(string actionId) where THandler : class, IBlockActionHandler =>
        Add<THandler>(Registry.BlockActions, actionId);

    public SlackBuilder AddViewSubmission<THandler>(string callbackId) where THandler : class, IViewSubmissionHandler =>
        Add<THandler>(Registry.ViewSubmissions, callbackId);

    public SlackBuilder AddViewClosed<THandler>(string callbackId) where THandler : class, IViewClosedHandler =>
        Add<THandler>(Registry.ViewClosed, callbackId);

    public SlackBuilder AddMessageShortcut<THandler>(string callbackId) where THandler : class, IMessageShortcutHandler =>
        Add<THandler>(Registry.MessageShortcuts, callbackId);

    public SlackBuilder AddGlobalShortcut<THandler>(string callbackId) where THandler : class, IGlobalShortcutHandler =>
        Add<THandler>(Registry.GlobalShortcuts, callbackId);

    private SlackBuilder Add<THandler>(SlackHandlerRegistry.RouteTable table, string key) where THandler : class
    {
        table.Add(key, typeof(THandler));
        Services.AddScoped<THandler>();
        return this;
    }
}
