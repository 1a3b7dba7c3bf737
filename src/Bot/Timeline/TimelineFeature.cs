using Bot.Hosting;
using Bot.Slack;
using Bot.Slack.Dispatch;
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
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<TimelineOptions>>().Value;
            return new CaptureBatcher(sp.GetRequiredService<Npgsql.NpgsqlDataSource>(), sp.GetRequiredService<ILogger<CaptureBatcher>>(),
                options.CaptureWriters, options.CaptureMaxBatch);
        });
        services.AddHostedService(sp => sp.GetRequiredService<CaptureBatcher>());
        services.AddSingleton<IncidentChannels>();
        services.AddHostedService(sp => sp.GetRequiredService<IncidentChannels>());
        services.AddScoped<TimelineStore>();
        services.AddScoped<TimelineReader>();
        services.AddScoped<TimelineView>();
        services.AddScoped<DetailStore>();

        // By default capture records each event before Slack is answered: if the database cannot take it, Slack is
        // not acknowledged and delivers it again (three retries over about six minutes), so a crash of the bot or a short
        // database outage loses nothing said in an incident channel (TimelineOptions). After the ack (false), the event
        // is written to the Slack inbox before the ack instead, and a crash after the ack replays it (docs/reliability.md).
        var captureBeforeAck = configuration.GetValue("Bot:Timeline:CaptureBeforeAck", true);
        var captureTiming = captureBeforeAck ? EventTiming.BeforeAck : EventTiming.AfterAck;
        services.AddSlack()
            .AddEventHandler<MessageEvent, MessagePostedCapture>(captureTiming)
            .AddEventHandler<MessageEvent, MessageChangedCapture>(captureTiming)
            .AddEventHandler<MessageEvent, MessageDeletedCapture>(captureTiming)
            .AddEventHandler<ReactionAddedEvent, ReactionMarksMessage>(captureTiming)
            .AddEventHandler<ReactionRemovedEvent, ReactionMarksMessage>(captureTiming)
            .AddEventHandler<PinAddedEvent, PinMarksHighlight>(captureTiming)
            .AddEventHandler<PinRemovedEvent, PinMarksHighlight>(captureTiming)
            .AddEventHandler<MemberJoinedChannelEvent, MemberJoinLeave>(captureTiming)
            .AddEventHandler<MemberLeftChannelEvent, MemberJoinLeave>(captureTiming)
            .AddBlockAction<TimelinePageButton>(TimelineView.PreviousAction)
            .AddBlockAction<TimelinePageButton>(TimelineView.NextAction)
            .AddMessageShortcut<AddToIncidentShortcut>(AddToIncidentShortcut.CallbackId)
            .AddViewSubmission<AddToIncidentModal>(AddToIncidentModal.CallbackId);
        return services;
    }
}
