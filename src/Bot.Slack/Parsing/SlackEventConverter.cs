using Bot.Slack.Events;

namespace Bot.Slack.Parsing;

/// <summary>Reads an inner Events API event into its class by "type". Every message subtype is a
/// <see cref="MessageEvent"/> (the subtype is a field on it); unknown types become <see cref="UnknownEvent"/>
/// so a new Slack event never fails a request.</summary>
public sealed class SlackEventConverter() : ByTypeConverter<SlackEvent>("event")
{
    private static readonly Dictionary<string, Type> Types = new(StringComparer.Ordinal)
    {
        ["message"] = typeof(MessageEvent),
        ["reaction_added"] = typeof(ReactionAddedEvent),
        ["reaction_removed"] = typeof(ReactionRemovedEvent),
        ["pin_added"] = typeof(PinAddedEvent),
        ["pin_removed"] = typeof(PinRemovedEvent),
        ["member_joined_channel"] = typeof(MemberJoinedChannelEvent),
        ["member_left_channel"] = typeof(MemberLeftChannelEvent),
        ["app_home_opened"] = typeof(AppHomeOpenedEvent),
        ["channel_rename"] = typeof(ChannelRenameEvent),
        ["app_uninstalled"] = typeof(AppUninstalledEvent),
        ["tokens_revoked"] = typeof(TokensRevokedEvent),
    };

    /// <summary>The class an event of this type is read into.</summary>
    public static Type TypeFor(string? type) => Lookup(Types, type, typeof(UnknownEvent));

    protected override Type ClassFor(string? type) => TypeFor(type);
}
