using System.Text.Json.Nodes;

namespace Bot.Slack.Testing;

// The app's installation in the workspace. Uninstalling (or revoking the bot token) makes Slack refuse the bot token
// on every method, as it does: token_revoked for a revoked token; reinstalling makes it work again (a single-workspace
// app keeps its bot token across a reinstall when the scopes did not change). Slack then sends tokens_revoked and
// app_uninstalled: send them with SlackAppDriver.AppUninstalled / TokensRevoked.
public sealed partial class FakeSlack
{
    private string? _tokenRefusedWith;

    /// <summary>From now on every call with the bot token answers ok:false with <paramref name="error"/>
    /// (token_revoked, account_inactive, invalid_auth).</summary>
    public void Uninstall(string error = "token_revoked")
    {
        lock (_gate) _tokenRefusedWith = error;
    }

    /// <summary>The bot token works again.</summary>
    public void Reinstall()
    {
        lock (_gate) _tokenRefusedWith = null;
    }

    public bool IsInstalled
    {
        get { lock (_gate) return _tokenRefusedWith is null; }
    }

    private string? RefusedBotToken()
    {
        lock (_gate) return _tokenRefusedWith;
    }

    /// <summary>The inner event of app_uninstalled (Slack's shape: no fields but type and event_ts).</summary>
    public JsonObject AppUninstalledEvent() => new() { ["type"] = "app_uninstalled", ["event_ts"] = NextTsLocked() };

    /// <summary>tokens_revoked: <paramref name="botUsers"/> are the users whose bot tokens were revoked (the bot user
    /// for this app), <paramref name="oauthUsers"/> those whose user tokens were.</summary>
    public JsonObject TokensRevokedEvent(IEnumerable<string>? botUsers = null, IEnumerable<string>? oauthUsers = null)
    {
        var tokens = new JsonObject();
        if (oauthUsers is not null) tokens["oauth"] = new JsonArray([.. oauthUsers.Select(u => JsonValue.Create(u))]);
        if (botUsers is not null) tokens["bot"] = new JsonArray([.. botUsers.Select(u => JsonValue.Create(u))]);
        return new JsonObject { ["type"] = "tokens_revoked", ["tokens"] = tokens, ["event_ts"] = NextTsLocked() };
    }

    private string NextTsLocked()
    {
        lock (_gate) return NextTs();
    }
}
