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
    public SlackBuilder AddEventHandler<TEvent, THandler>(EventTiming timing = EventTiming.AfterAck)
        where TEvent : SlackEvent
        where THandler : class, IEventHandler<TEvent>
    {
        Registry.AddEvent<TEvent, THandler>(timing);
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
