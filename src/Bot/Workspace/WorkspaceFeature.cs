using Bot.Jobs;
using Bot.Slack;
using Bot.Slack.Dispatch;
using Bot.Slack.Events;

namespace Bot.Workspace;

public static class WorkspaceFeature
{
    /// <summary>The app uninstalled or its token revoked: jobs parked, data kept, resumed on reinstall.</summary>
    public static IServiceCollection AddWorkspace(this IServiceCollection services)
    {
        services.AddSingleton<WorkspaceStore>();
        services.AddSingleton<WorkspaceAccess>();
        services.AddSingleton<WorkspaceJobGate>();
        services.AddSingleton<IBotJobFilter>(sp => sp.GetRequiredService<WorkspaceJobGate>());
        services.AddSingleton<ProbeThrottle>();
        services.AddHostedService<WorkspaceResumeAtStart>();
        services.AddSlack()
            .AddEventHandler<AppUninstalledEvent, AppUninstalledEvents>(EventTiming.BeforeAck)
            .AddEventHandler<TokensRevokedEvent, AppUninstalledEvents>(EventTiming.BeforeAck)
            // Every event passes here, so the handler runs (and the event is stored in the inbox for it) only while
            // the event's team is recorded as not installed: otherwise a message would cost an inbox row for nothing.
            .AddEventHandler<SlackEvent, WorkspaceResumeOnEvent>(when: (sp, e, context) => WorkspaceResumeOnEvent.Wanted(sp.GetRequiredService<WorkspaceAccess>(), e, context));
        return services;
    }
}
