using System.Text.Json.Nodes;

namespace Bot.Slack.Testing;

// The bot token's OAuth scopes. Slack checks them before anything else a method does: a method whose scope
// was not granted answers missing_scope with "needed" and "provided", whatever its arguments.
public sealed partial class FakeSlack
{
    /// <summary>Granular bot scopes of the methods the fake models (api.slack.com/methods/*, "Bot tokens"). The
    /// spec's own security entries predate granular bot scopes (chat:write:bot, channels:write), so they are
    /// listed here. Methods not listed need no scope (auth.test, views.*, chat.getPermalink, api.test).</summary>
    private static readonly Dictionary<string, string> FixedScopes = new(StringComparer.Ordinal)
    {
        ["chat.postMessage"] = "chat:write",
        ["chat.postEphemeral"] = "chat:write",
        ["chat.update"] = "chat:write",
        ["chat.delete"] = "chat:write",
        ["pins.add"] = "pins:write",
        ["pins.remove"] = "pins:write",
        ["pins.list"] = "pins:read",
        ["reactions.add"] = "reactions:write",
        ["reactions.remove"] = "reactions:write",
        ["reactions.get"] = "reactions:read",
        ["users.info"] = "users:read",
        ["users.list"] = "users:read",
        ["users.lookupByEmail"] = "users:read.email",
        ["usergroups.list"] = "usergroups:read",
        ["usergroups.users.list"] = "usergroups:read",
        ["files.getUploadURLExternal"] = "files:write",
        ["files.completeUploadExternal"] = "files:write",
        ["bookmarks.add"] = "bookmarks:write",
        ["team.info"] = "team:read",
        ["conversations.join"] = "channels:join",
    };

    // Declared before the table that uses them: static fields initialise in textual order.
    private static readonly string[] ManageScopes = ["channels:manage", "groups:write", "im:write", "mpim:write"];
    private static readonly string[] ReadScopes = ["channels:read", "groups:read", "im:read", "mpim:read"];
    private static readonly string[] HistoryScopes = ["channels:history", "groups:history", "im:history", "mpim:history"];

    /// <summary>conversations.* methods need the scope of the channel's type: public, private, DM, group DM.</summary>
    private static readonly Dictionary<string, string[]> ChannelTypeScopes = new(StringComparer.Ordinal)
    {
        ["conversations.create"] = ManageScopes,
        ["conversations.invite"] = ManageScopes,
        ["conversations.setTopic"] = ManageScopes,
        ["conversations.setPurpose"] = ManageScopes,
        ["conversations.archive"] = ManageScopes,
        ["conversations.rename"] = ManageScopes,
        ["conversations.open"] = ManageScopes,
        ["conversations.info"] = ReadScopes,
        ["conversations.members"] = ReadScopes,
        ["conversations.list"] = ReadScopes,
        ["conversations.history"] = HistoryScopes,
        ["conversations.replies"] = HistoryScopes,
    };

    /// <summary>The scope a post into a public channel the bot is not in needs (otherwise: not_in_channel).</summary>
    public const string ChatWritePublic = "chat:write.public";

    /// <summary>The bot token's scopes (null: every scope).</summary>
    public IReadOnlyCollection<string>? BotScopes => _options.BotScopes;

    private bool Granted(string scope) => _options.BotScopes is null || _options.BotScopes.Contains(scope);

    /// <summary>The scope the call needs and the token lacks, or null. Callers hold _gate (channel lookups).</summary>
    private string? MissingScope(string method, SlackArgs args)
    {
        if (FixedScopes.TryGetValue(method, out var fixedScope))
            return Granted(fixedScope) ? null : fixedScope;
        if (!ChannelTypeScopes.TryGetValue(method, out var byType)) return null;
        foreach (var type in ChannelTypes(method, args))
            if (!Granted(byType[type])) return byType[type];
        return null;
    }

    /// <summary>Index into a scope row: 0 public, 1 private, 2 DM, 3 group DM. An unknown channel needs no
    /// scope check: the handler answers channel_not_found as Slack does.</summary>
    private IEnumerable<int> ChannelTypes(string method, SlackArgs args)
    {
        switch (method)
        {
            case "conversations.create":
                return [args.Bool("is_private") ? 1 : 0];
            case "conversations.list":
                var types = args.List("types") is { Count: > 0 } t ? t : ["public_channel"];
                return types.Select(x => x switch { "private_channel" => 1, "im" => 2, "mpim" => 3, _ => 0 }).Distinct();
            case "conversations.open" when args.Str("channel") is null:
                return [args.List("users").Count(u => u != BotUserId) > 1 ? 3 : 2];
        }
        return args.Str("channel") is { } id && FindChannel(id) is { } c ? [TypeIndex(c)] : [];
    }

    private static int TypeIndex(FakeChannel c) => c.IsIm ? 2 : c.IsMpim ? 3 : c.IsPrivate ? 1 : 0;

    private JsonObject MissingScopeBody(string needed)
    {
        var body = Fail("missing_scope");
        body["needed"] = needed;
        body["provided"] = string.Join(",", _options.BotScopes ?? []);
        return body;
    }
}
