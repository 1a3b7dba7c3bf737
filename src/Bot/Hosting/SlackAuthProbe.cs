using Bot.Slack;
using Bot.Slack.WebApi;
using Bot.Slack.WebApi.RateLimiting;
using Microsoft.Extensions.Options;

namespace Bot.Hosting;

/// <summary>What one auth.test said about the bot token.</summary>
public abstract record SlackAuth
{
    public sealed record Accepted(AuthTestResult Me) : SlackAuth;

    /// <summary>Slack answered and refused the token: retrying cannot help.</summary>
    public sealed record Refused(string Error) : SlackAuth;

    /// <summary>No usable answer (network, timeout, 5xx, rate limit, not Slack at that URL): worth trying again.</summary>
    public sealed record Unreachable(string Reason) : SlackAuth;
}

/// <summary>Asks Slack once (auth.test, a single attempt with a short timeout) whether it takes the bot token.
/// The client's usual retries would log a warning per attempt and hold startup for seconds; the callers decide
/// what a failure means (BotHost: a refused token stops the bot; BotIdentityLoader: unreachable is retried). The last
/// answer is kept for /readyz (LastAccepted, LastFailure).</summary>
public sealed class SlackAuthProbe
{
    /// <summary>auth.test's errors for a token Slack will not take (a typo, an uninstalled app, a revoked or expired token).</summary>
    public static readonly IReadOnlySet<string> RefusedErrors = new HashSet<string>(StringComparer.Ordinal)
    {
        "invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired", "not_allowed_token_type",
    };

    private readonly SlackApiClient _once;
    private readonly IOptions<SlackOptions> _slack;

    public SlackAuthProbe(IHttpClientFactory http, IOptions<SlackOptions> slack, SlackRateLimiter limiter, TimeProvider time,
        ILogger<SlackApiClient> log, Bot.Slack.Diagnostics.SlackMetrics metrics)
    {
        _slack = slack;
        _once = new SlackApiClient(http, slack,
            Options.Create(new SlackWebApiOptions { MaxRetries = 0, MaxRateLimitedRetries = 0, RequestTimeout = TimeSpan.FromSeconds(10) }),
            limiter, time, log, metrics);
    }

    public string ApiUrl => _slack.Value.ApiUrl;

    /// <summary>When Slack last accepted the token (real time, not the app's clock), or null.</summary>
    public DateTimeOffset? LastAccepted { get; private set; }

    /// <summary>Why the last probe failed, or null when it succeeded.</summary>
    public string? LastFailure { get; private set; }

    public async Task<SlackAuth> Probe(CancellationToken ct)
    {
        var answer = await Ask(ct);
        if (answer is SlackAuth.Accepted) LastAccepted = TimeProvider.System.GetUtcNow();
        LastFailure = answer switch
        {
            SlackAuth.Refused r => $"token refused ({r.Error})",
            SlackAuth.Unreachable u => u.Reason,
            _ => null,
        };
        return answer;
    }

    private async Task<SlackAuth> Ask(CancellationToken ct)
    {
        try
        {
            return new SlackAuth.Accepted(await _once.Auth.Test(ct));
        }
        catch (SlackApiException e) when (RefusedErrors.Contains(e.Error))
        {
            return new SlackAuth.Refused(e.Error);
        }
        catch (SlackApiException e)
        {
            return new SlackAuth.Unreachable(e.InnerException is { } cause ? $"{e.Error}: {cause.GetBaseException().Message}" : e.Error);
        }
    }
}
