namespace Bot.Hosting;

/// <summary>What the bot asks of Slack, in one place: slack-manifest.yml must list exactly these
/// (tests/Bot.Tests/Manifest checks it), and handler registrations should use these keys.</summary>
public static class SlackAppDefinition
{
    public static readonly IReadOnlyList<string> SlashCommands = ["/incident", "/postmortem"];

    /// <summary>callback_ids of message shortcuts.</summary>
    public static readonly IReadOnlyList<string> MessageShortcuts = ["add_to_incident"];

    public static readonly IReadOnlyList<string> BotEvents =
    [
        "message.channels", "message.groups",
        "reaction_added", "reaction_removed",
        "pin_added", "pin_removed",
        "member_joined_channel", "member_left_channel",
        "app_home_opened",
        "app_uninstalled", "tokens_revoked",      // no scope needed: the workspace removed the app or its token (Workspace/)
    ];

    /// <summary>Bot token scopes, each needed by a Web API call or an event above.</summary>
    public static readonly IReadOnlyList<string> BotScopes =
    [
        "channels:manage", "groups:write",        // conversations.create / invite / setTopic / setPurpose / archive
        "channels:read", "groups:read",           // conversations.info / members / list, member_joined_channel
        "channels:history", "groups:history",     // message.channels / message.groups, conversations.history / replies
        "channels:join",                          // conversations.join: /incident backfill in a public channel the bot is not in
        "chat:write",                             // chat.postMessage / postEphemeral / update
        "chat:write.public",                      // announcements in public channels nobody invited the bot to
        "commands",                               // slash commands and shortcuts
        "pins:read", "pins:write",                // pin_added / pin_removed, pins.add / list
        "reactions:read",                         // reaction_added / reaction_removed
        "users:read",                             // users.info / list (names, tz, title)
        "usergroups:read",                        // usergroups.list (mentions shown as names)
        "files:read", "files:write",              // images in the channel, uploading documents and .ics invites
        "im:write",                               // conversations.open for DMs
        "im:history",                             // conversations.history of the bot's own DMs: a DM whose answer was lost is looked for, not sent twice
    ];
}
