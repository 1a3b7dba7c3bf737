using Bot.Hosting;
using Bot.Slack;
using Bot.Slack.Events;
using Dapper;
using Microsoft.Extensions.Options;

namespace Bot.Timeline;

public static class TimelineFeature
{
    public const string SectionName = "Timeline";

    /// <summary>Capture of incident channels, the paged timeline view, and the "Add to incident" shortcut.</summary>
    public static IServiceCollection AddTimeline(this IServiceCollection services, IConfiguration configuration)
    {
        DefaultTypeMap.MatchNamesWithUnderscores = true;

        services.AddBotOptions<TimelineOptions>(configuration, SectionName);
        services.AddSingleton(sp => new EmojiLegend(sp.GetRequiredService<IOptions<TimelineOptions>>().Value.EmojiLegend));
        services.AddSingleton<BotIdentity>();
        services.AddHostedService<BotIdentityLoader>();
        services.AddScoped<TimelineStore>();
        services.AddScoped<TimelineReader>();
        services.AddScoped<TimelineView>();
        services.AddScoped<DetailStore>();

        services.AddSlack()
            .AddEventHandler<MessageEvent, MessagePostedCapture>()
            .AddEventHandler<MessageEvent, MessageChangedCapture>()
            .AddEventHandler<MessageEvent, MessageDeletedCapture>()
            .AddEventHandler<ReactionAddedEvent, ReactionMarksMessage>()
            .AddEventHandler<ReactionRemovedEvent, ReactionMarksMessage>()
            .AddEventHandler<PinAddedEvent, PinMarksHighlight>()
            .AddEventHandler<PinRemovedEvent, PinMarksHighlight>()
            .AddEventHandler<MemberJoinedChannelEvent, MemberJoinLeave>()
            .AddEventHandler<MemberLeftChannelEvent, MemberJoinLeave>()
            .AddBlockAction<TimelinePageButton>(TimelineView.PreviousAction)
            .AddBlockAction<TimelinePageButton>(TimelineView.NextAction)
            .AddMessageShortcut<AddToIncidentShortcut>(AddToIncidentShortcut.CallbackId)
            .AddViewSubmission<AddToIncidentModal>(AddToIncidentModal.CallbackId);
        return services;
    }
}
