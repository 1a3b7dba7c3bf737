namespace Bot.Slack.Dispatch;

/// <summary>Read-only views of what is registered, so an app can check that its Slack app manifest
/// asks for exactly the commands, shortcuts and events it handles.</summary>
public static class SlackHandlerRegistryInfo
{
    public static IReadOnlyCollection<string> SlashCommandKeys(this SlackHandlerRegistry registry) => registry.SlashCommands.Keys;
    public static IReadOnlyCollection<string> MessageShortcutKeys(this SlackHandlerRegistry registry) => registry.MessageShortcuts.Keys;
    public static IReadOnlyCollection<string> GlobalShortcutKeys(this SlackHandlerRegistry registry) => registry.GlobalShortcuts.Keys;
    public static IReadOnlyCollection<string> BlockActionKeys(this SlackHandlerRegistry registry) => registry.BlockActions.Keys;
    public static IReadOnlyCollection<string> ViewSubmissionKeys(this SlackHandlerRegistry registry) => registry.ViewSubmissions.Keys;
    public static IReadOnlyCollection<string> ViewClosedKeys(this SlackHandlerRegistry registry) => registry.ViewClosed.Keys;

    /// <summary>Event classes with at least one handler (SlackEvent itself when a handler sees every event).</summary>
    public static IReadOnlyCollection<Type> HandledEventTypes(this SlackHandlerRegistry registry) =>
        registry.Events.Select(e => e.EventType).Distinct().ToArray();
}
