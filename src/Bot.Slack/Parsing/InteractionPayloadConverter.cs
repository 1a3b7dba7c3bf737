using Bot.Slack.Interactivity;

namespace Bot.Slack.Parsing;

/// <summary>Reads an interactivity payload into its class by "type"; unknown types are kept as
/// <see cref="UnknownInteraction"/> with their fields in Extra.</summary>
public sealed class InteractionPayloadConverter() : ByTypeConverter<InteractionPayload>("payload")
{
    private static readonly Dictionary<string, Type> Types = new(StringComparer.Ordinal)
    {
        ["block_actions"] = typeof(BlockActionsPayload),
        ["view_submission"] = typeof(ViewSubmissionPayload),
        ["view_closed"] = typeof(ViewClosedPayload),
        // Slack's wire names: a message shortcut is "message_action", a global shortcut is "shortcut".
        ["message_action"] = typeof(MessageShortcutPayload),
        ["shortcut"] = typeof(GlobalShortcutPayload),
    };

    /// <summary>The class a payload of this type is read into.</summary>
    public static Type TypeFor(string? type) => Lookup(Types, type, typeof(UnknownInteraction));

    protected override Type ClassFor(string? type) => TypeFor(type);
}
