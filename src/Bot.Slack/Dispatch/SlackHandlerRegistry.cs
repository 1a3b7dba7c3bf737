using System.Collections.Concurrent;
using Bot.Slack.Events;
using Bot.Slack.Handlers;

namespace Bot.Slack.Dispatch;

/// <summary>Which handler class owns which routing key. Filled by <see cref="SlackBuilder"/> while services
/// are registered; a second handler for the same key throws there, so a clash stops the app at startup.</summary>
public sealed class SlackHandlerRegistry
{
    internal delegate Task EventInvoker(IServiceProvider services, SlackEvent slackEvent, EventContext context, CancellationToken ct);

    /// <summary>Whether an after-ack handler has anything to do with this event; asked on the request path, with the
    /// root services, before the event is stored in the inbox.</summary>
    internal delegate bool EventApplies(IServiceProvider services, SlackEvent slackEvent, EventContext context);

    internal sealed record EventRegistration(Type EventType, Type HandlerType, EventTiming Timing, EventInvoker Invoke, EventApplies? Applies = null);

    private readonly List<EventRegistration> _events = [];
    // Asked for every event, so read without a lock. Handlers are all registered while services are added, before
    // the app serves its first event; a registration clears both caches.
    private readonly ConcurrentDictionary<Type, EventRegistration[]> _eventsByType = new();
    private readonly ConcurrentDictionary<(Type, EventTiming), EventRegistration[]> _eventsByTiming = new();
    private readonly Lock _gate = new();

    internal IReadOnlyList<EventRegistration> Events => _events;
    internal RouteTable SlashCommands { get; } = new("slash command", StringComparer.OrdinalIgnoreCase);
    internal RouteTable BlockActions { get; } = new("block action_id", StringComparer.Ordinal);
    internal RouteTable ViewSubmissions { get; } = new("view_submission callback_id", StringComparer.Ordinal);
    internal RouteTable ViewClosed { get; } = new("view_closed callback_id", StringComparer.Ordinal);
    internal RouteTable MessageShortcuts { get; } = new("message shortcut callback_id", StringComparer.Ordinal);
    internal RouteTable GlobalShortcuts { get; } = new("global shortcut callback_id", StringComparer.Ordinal);

    internal void AddEvent<TEvent, THandler>(EventTiming timing, Func<IServiceProvider, TEvent, EventContext, bool>? when = null)
        where TEvent : SlackEvent
        where THandler : class, IEventHandler<TEvent>
    {
        lock (_gate)
        {
            if (_events.Any(r => r.EventType == typeof(TEvent) && r.HandlerType == typeof(THandler)))
                throw new InvalidOperationException($"{typeof(THandler).Name} is already registered for {typeof(TEvent).Name}.");
            _events.Add(new EventRegistration(typeof(TEvent), typeof(THandler), timing,
                (sp, e, ctx, ct) => ((IEventHandler<TEvent>)sp.GetService(typeof(THandler))!).Handle((TEvent)e, ctx, ct),
                when is null ? null : (sp, e, ctx) => when(sp, (TEvent)e, ctx)));
            _eventsByType.Clear();
            _eventsByTiming.Clear();
        }
    }

    /// <summary>Handlers for an event of this runtime type: those for its own class and for SlackEvent
    /// (which sees every event), in registration order.</summary>
    internal EventRegistration[] EventHandlersFor(Type eventType) =>
        _eventsByType.GetOrAdd(eventType, static (type, registry) =>
        {
            lock (registry._gate) return registry._events.Where(r => r.EventType.IsAssignableFrom(type)).ToArray();
        }, this);

    /// <summary>The handlers of one timing for an event of this runtime type, cached: this is asked for every event.</summary>
    internal EventRegistration[] EventHandlersFor(Type eventType, EventTiming timing) =>
        _eventsByTiming.GetOrAdd((eventType, timing), static (key, registry) =>
            registry.EventHandlersFor(key.Item1).Where(r => r.Timing == key.Item2).ToArray(), this);

    /// <summary>Routing key → handler class, for one kind of key.</summary>
    internal sealed class RouteTable(string kind, StringComparer comparer)
    {
        private readonly Dictionary<string, Type> _routes = new(comparer);

        public string Kind => kind;

        public void Add(string key, Type handler)
        {
            if (string.IsNullOrWhiteSpace(key)) throw new ArgumentException($"A {kind} routing key must not be empty.", nameof(key));
            lock (_routes)
            {
                if (_routes.TryGetValue(key, out var existing))
                    throw new InvalidOperationException(
                        $"Duplicate {kind} '{key}': {existing.FullName} already handles it, so {handler.FullName} cannot.");
                _routes.Add(key, handler);
            }
        }

        public Type? Find(string? key)
        {
            if (key is null) return null;
            lock (_routes) return _routes.GetValueOrDefault(key);
        }

        public IReadOnlyCollection<string> Keys
        {
            get { lock (_routes) return _routes.Keys.ToArray(); }
        }
    }
}
