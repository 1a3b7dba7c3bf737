using Bot.Slack.WebApi;
using Hangfire;

namespace Bot.Home;

/// <summary>Republishes one person's Home tab after a change it shows (see <see cref="HomeRefresh"/>). Running twice
/// publishes the same view twice, which is harmless; a person who never opened Home is skipped.</summary>
[AutomaticRetry(Attempts = 3, DelaysInSeconds = [5, 30, 120])]
public sealed class HomeRefreshJob(HomeViews views, HomeContents contents, ISlackApi slack)
{
    public async Task Run(string teamId, string userId, CancellationToken ct)
    {
        if (await views.Take(teamId, userId, ct) is not { } pending) return;
        await slack.Views.Publish(userId, await contents.View(teamId, userId, pending.Notice, ct), ct);
        await views.Published(teamId, userId, pending.Notice, ct);
    }
}
