using Bot.Slack;
using Microsoft.Extensions.Configuration;

namespace Bot.Hosting;

/// <summary>Reads SlackOptions from the "Slack" section, then from Bolt's environment names
/// (SLACK_BOT_TOKEN, ...), which win when set, and checks them before anything starts.</summary>
public static class SlackSettings
{
    public const string BotTokenKey = "SLACK_BOT_TOKEN";
    public const string SigningSecretKey = "SLACK_SIGNING_SECRET";
    public const string AppTokenKey = "SLACK_APP_TOKEN";
    public const string ApiUrlKey = "SLACK_API_URL";

    public static SlackOptions Read(IConfiguration configuration)
    {
        var options = new SlackOptions();
        BotOptionsExtensions.BindReplacingLists(configuration.GetSection("Slack"), options);
        options.BotToken = Pick(configuration[BotTokenKey], options.BotToken) ?? "";
        options.SigningSecret = Pick(configuration[SigningSecretKey], options.SigningSecret) ?? "";
        options.AppToken = Pick(configuration[AppTokenKey], options.AppToken);
        options.ApiUrl = Pick(configuration[ApiUrlKey], options.ApiUrl) ?? "https://slack.com/api/";
        return options;
    }

    /// <summary>Fills the options instance the Slack layer gets from DI: every "Slack" setting (timeouts,
    /// limits, ...), then the validated values resolved from the Bolt names.</summary>
    public static void Apply(IConfiguration configuration, SlackOptions resolved, SlackOptions target)
    {
        BotOptionsExtensions.BindReplacingLists(configuration.GetSection("Slack"), target);
        target.BotToken = resolved.BotToken;
        target.SigningSecret = resolved.SigningSecret;
        target.AppToken = resolved.AppToken;
        target.ApiUrl = resolved.ApiUrl;
    }

    /// <summary>Throws a StartupException naming the first bad setting and where Slack shows it.</summary>
    public static void Validate(SlackOptions options)
    {
        const string apps = "https://api.slack.com/apps";
        if (string.IsNullOrWhiteSpace(options.BotToken))
            throw new StartupException(
                $"{BotTokenKey} is not set: copy the Bot User OAuth Token (xoxb-...) from {apps} → your app → OAuth & Permissions (install the app to your workspace first).");
        if (!options.BotToken.StartsWith("xoxb-", StringComparison.Ordinal))
            throw new StartupException(
                $"{BotTokenKey} must be a bot token starting with xoxb-: copy the Bot User OAuth Token from {apps} → your app → OAuth & Permissions.");
        if (options.UseSocketMode)
        {
            if (!options.AppToken!.StartsWith("xapp-", StringComparison.Ordinal))
                throw new StartupException(
                    $"{AppTokenKey} must be an app-level token starting with xapp-: create one with the connections:write scope at {apps} → your app → Basic Information → App-Level Tokens.");
        }
        else if (string.IsNullOrWhiteSpace(options.SigningSecret))
        {
            throw new StartupException(
                $"{SigningSecretKey} is not set: copy the Signing Secret from {apps} → your app → Basic Information → App Credentials (or set {AppTokenKey} to use Socket Mode instead of HTTP).");
        }
        if (!Uri.TryCreate(options.ApiUrl, UriKind.Absolute, out var api) || (api.Scheme != "https" && api.Scheme != "http"))
            throw new StartupException($"{ApiUrlKey} must be an absolute http(s) URL such as https://slack.com/api/ (got '{options.ApiUrl}').");
        if (!options.ApiUrl.EndsWith('/'))
            options.ApiUrl += "/"; // relative method names ("chat.postMessage") resolve under it only with the slash
    }

    /// <summary>The one line for a bot token Slack refused (auth.test said invalid_auth, token_revoked, ...).</summary>
    public static string RefusedToken(string error) =>
        $"{BotTokenKey} was refused by Slack ({error}): copy the Bot User OAuth Token (xoxb-...) again from https://api.slack.com/apps → your app → OAuth & Permissions (reinstall the app to the workspace if it was removed or the token revoked).";

    private static string? Pick(string? preferred, string? fallback) =>
        string.IsNullOrWhiteSpace(preferred) ? (string.IsNullOrWhiteSpace(fallback) ? null : fallback) : preferred.Trim();
}
