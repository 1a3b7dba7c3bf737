using Bot.Slack.Events;
using Bot.Slack.Handlers;
using Bot.Timeline;

namespace Bot.Workspace;

/// <summary>app_uninstalled, and tokens_revoked naming the bot's own token (a revoked user token is not ours to care
/// about: the bot runs on its bot token only). Recorded before Slack is answered, so a database hiccup makes Slack
/// deliver it again; at the event's own time, so a retry arriving after a reinstall changes nothing.</summary>
public sealed class AppUninstalledEvents(WorkspaceAccess access, BotIdentity bot, TimeProvider time) :
    IEventHandler<AppUninstalledEvent>, IEventHandler<TokensRevokedEvent>
{
    public Task Handle(AppUninstalledEvent e, EventContext context, CancellationToken ct) =>
        context.TeamId is { Length: > 0 } team
            ? access.Refused(team, WorkspaceState.Uninstalled, At(context), "app_uninstalled", ct)
            : Task.CompletedTask;

    public Task Handle(TokensRevokedEvent e, EventContext context, CancellationToken ct)
    {
        if (context.TeamId is not { Length: > 0 } team || e.Tokens?.Bot is not { Count: > 0 } bots) return Task.CompletedTask;
        // tokens.bot lists the users whose bot tokens were revoked. An app has one bot user per workspace, so before
        // auth.test has named it any bot token of this app in this team is the one the bot runs on.
        var mine = bot.Current?.UserId is not { } me || bots.Contains(me, StringComparer.Ordinal);
        return mine ? access.Refused(team, WorkspaceState.Revoked, At(context), "tokens_revoked", ct) : Task.CompletedTask;
    }

    private DateTimeOffset At(EventContext context) =>
        context.EventTime > 0 ? DateTimeOffset.FromUnixTimeSeconds(context.EventTime) : time.GetUtcNow();
}
