using Bot.Slack.Events;
using Bot.Slack.Handlers;
using Bot.Slack.WebApi;

namespace Bot.Home;

/// <summary>The Home tab, published each time someone opens it (so it is never stale when they look), and the
/// person remembered so that changes to what it shows republish it while it may be open (HomeRefresh).</summary>
public sealed class AppHomeTab(HomeViews views, HomeContents contents, ISlackApi slack) : IEventHandler<AppHomeOpenedEvent>
{
    public async Task Handle(AppHomeOpenedEvent e, EventContext context, CancellationToken ct)
    {
        if (e.Tab != "home" || e.User is null || context.TeamId is null) return;
        var notice = await views.Opened(context.TeamId, e.User, ct);
        await slack.Views.Publish(e.User, await contents.View(context.TeamId, e.User, notice, ct), ct);
        await views.Published(context.TeamId, e.User, notice, ct);
    }
}
