using Bot.Slack.Handlers;
using Bot.Slack.WebApi;
using Bot.Timeline;
using Hangfire;
using Microsoft.Extensions.Options;

namespace Bot.Incidents;

/// <summary>Creates the incident's channel and does the Slack work around it, step by step. Hangfire runs a
/// job at least once: it re-reads the incident and skips every step whose marker is set, so a retry after
/// a crash finishes the incident instead of creating a second channel or posting twice.</summary>
public sealed class OpenIncidentChannelJob(
    IncidentStore incidents,
    ChannelSteps steps,
    ISlackApi slack,
    EmojiLegend legend,
    BotIdentity bot,
    EarlierChannel earlier,
    ChannelFailures failures,
    IOptions<IncidentOptions> options,
    ILogger<OpenIncidentChannelJob> logger)
{
    private const int MaxNameAttempts = 20;

    /// <summary>Slack's answers that may go away by themselves: worth Hangfire's retries. Any other error (say
    /// restricted_action, missing_scope) will be the same in ten minutes: the job stops at once and the reporter is
    /// told, with Retry / Cancel; ChannelJobGaveUp does the same once the retries are spent.</summary>
    private static readonly HashSet<string> Transient = new(StringComparer.Ordinal)
    {
        "ratelimited", "network_error", "timeout", "internal_error", "fatal_error", "service_unavailable", "request_timeout",
        "invalid_response",
    };

    [AutomaticRetry(Attempts = 5, DelaysInSeconds = [5, 30, 120, 600, 1800])]
    public async Task Run(long incidentId, CancellationToken ct)
    {
        try
        {
            await Open(incidentId, ct);
        }
        catch (SlackApiException e) when (!IsTransient(e.Error))
        {
            logger.LogWarning("Incident {Id}: stopped opening its channel: Slack answered {Method} with {Error}", incidentId, e.Method, e.Error);
            await failures.Record(incidentId, e.Error, ct);
        }
    }

    private static bool IsTransient(string error) => Transient.Contains(error) || error.StartsWith("http_5", StringComparison.Ordinal);

    /// <summary>Slack's error code for the reporter; "bot_error" for a failure of our own (the log has the rest).</summary>
    public static string ErrorCode(Exception? e) => e switch
    {
        SlackApiException s => s.Error,
        { InnerException: { } inner } => ErrorCode(inner),
        _ => "bot_error",
    };

    private async Task Open(long incidentId, CancellationToken ct)
    {
        var incident = await incidents.Get(incidentId, ct);
        // Waiting for the reporter's Retry (a late Hangfire retry must not run), or cancelled.
        if (incident is null || incident.ChannelFailedAt is not null || incident.CancelledAt is not null) return;

        var channelId = incident.ChannelId ?? await CreateChannel(incident, ct);
        incident = await incidents.Get(incidentId, ct) ?? incident;

        if (incident.ReporterInvitedAt is null)
        {
            await Tolerating(() => slack.Conversations.Invite(channelId, [incident.ReporterId], ct), "already_in_channel", "cant_invite_self");
            await steps.Mark(incidentId, ChannelSteps.ReporterInvited, ct);
        }

        if (incident.TopicSetAt is null)
        {
            await slack.Conversations.SetTopic(channelId, KickoffMessage.Topic(incident), ct);
            await slack.Conversations.SetPurpose(channelId, KickoffMessage.Purpose(incident), ct);
            await steps.Mark(incidentId, ChannelSteps.TopicSet, ct);
        }

        var kickoffTs = incident.KickoffTs;
        if (kickoffTs is null)
        {
            await EnsureBotIdentity(ct);
            // Keyed, and looked for first: an earlier run may have posted it and lost Slack's answer (a timeout, a 5xx),
            // so its ts was never stored. The channel is new: one page of its history settles it.
            var posted = await slack.Chat.PostMessage(new OutgoingMessage
            {
                Channel = channelId, Text = KickoffMessage.Fallback(incident), Blocks = KickoffMessage.Blocks(incident, legend),
                IdempotencyKey = $"incident-{incident.Id}-kickoff", LookFirst = true,
            }, ct);
            await steps.SetKickoff(incidentId, posted.Ts, ct);
            kickoffTs = posted.Ts;
        }

        if (incident.KickoffPinnedAt is null)
        {
            await Tolerating(() => slack.Pins.Add(channelId, kickoffTs, ct), "already_pinned");
            await steps.Mark(incidentId, ChannelSteps.KickoffPinned, ct);
        }

        // A private incident is announced nowhere: its title is for the people in its channel.
        var announceChannel = options.Value.AnnounceChannel;
        if (incident.OriginAnnouncedAt is null)
        {
            if (!incident.IsPrivate && incident.OriginChannelId is { Length: > 0 } origin && origin != channelId && origin != announceChannel)
                await AnnounceInOrigin(incident, origin, channelId, ct);
            await steps.Mark(incidentId, ChannelSteps.OriginAnnounced, ct);
        }

        if (incident.AnnouncedAt is null)
        {
            if (!incident.IsPrivate && !string.IsNullOrWhiteSpace(announceChannel))
                await Announce(incident, announceChannel, channelId, ct);
            await steps.Mark(incidentId, ChannelSteps.Announced, ct);
        }

        if (incident.ReporterToldAt is null)
        {
            await TellReporter(incident, channelId, ct);
            await steps.Mark(incidentId, ChannelSteps.ReporterTold, ct);
        }
    }

    private async Task<string> CreateChannel(Incident incident, CancellationToken ct)
    {
        for (var attempt = 1; attempt <= MaxNameAttempts; attempt++)
        {
            var name = attempt == 1 ? incident.ChannelName : ChannelNames.WithSuffix(incident.ChannelName, attempt);
            await steps.RecordNameTried(incident.Id, name, ct);
            try
            {
                var channel = await slack.Conversations.Create(name, incident.IsPrivate, ct);
                if (!await steps.SetChannel(incident.Id, channel.Id, channel.Name ?? name, ct))
                {
                    // Another run got there first; keep its channel (ours stays empty and is archived).
                    logger.LogWarning("Incident {Id} already had a channel; archiving duplicate {Channel}", incident.Id, channel.Id);
                    await Tolerating(() => slack.Conversations.Archive(channel.Id, ct), "already_archived");
                    return (await incidents.Get(incident.Id, ct))!.ChannelId!;
                }
                return channel.Id;
            }
            catch (SlackApiException e) when (e.Error == "name_taken")
            {
                // Only a name an earlier run already asked for can be our own channel.
                if (incident.ChannelNamesTried.Contains(name) &&
                    await earlier.Find(incident, name, bot.Current?.UserId, ct) is { } mine &&
                    await steps.SetChannel(incident.Id, mine, name, ct))
                {
                    logger.LogWarning("Incident {Id}: adopted #{Name} ({Channel}), created by an earlier run that stopped before recording it",
                        incident.Id, name, mine);
                    return mine;
                }
                logger.LogInformation("Channel name {Name} is taken; trying the next suffix", name);
            }
        }
        throw new SlackApiException("conversations.create", "name_taken", $"no free channel name after {MaxNameAttempts} tries");
    }

    /// <summary>The announcement is news for others; when Slack refuses it (a private channel nobody invited the bot
    /// to, a missing scope, an archived channel), the reporter must still hear that the channel is ready.</summary>
    private async Task Announce(Incident incident, string announceChannel, string channelId, CancellationToken ct)
    {
        try
        {
            // Keyed: after a lost answer the client looks before posting again (where the bot may read the channel).
            await slack.Chat.PostMessage(new OutgoingMessage
            {
                Channel = announceChannel, Text = KickoffMessage.Announcement(incident, channelId), IdempotencyKey = $"incident-{incident.Id}-announce",
            }, ct);
        }
        catch (SlackApiException e)
        {
            logger.LogWarning("Incident {Id}: could not announce it in Bot:Incidents:AnnounceChannel {Channel} ({Error}); going on",
                incident.Id, announceChannel, e.Error);
        }
    }

    private async Task AnnounceInOrigin(Incident incident, string origin, string channelId, CancellationToken ct)
    {
        var text = KickoffMessage.Announcement(incident, channelId);
        try
        {
            await slack.Chat.PostMessage(new OutgoingMessage { Channel = origin, Text = text, IdempotencyKey = $"incident-{incident.Id}-origin" }, ct);
        }
        catch (SlackApiException e)
        {
            // The bot may not be in that channel (a private one, a DM); the command's response_url can still post
            // there. Any other refusal must not keep the reporter from hearing that the channel is ready either.
            if (e.Error is not ("not_in_channel" or "channel_not_found" or "is_archived" or "restricted_action"))
                logger.LogWarning("Incident {Id}: could not announce it where it was opened ({Error}); going on", incident.Id, e.Error);
            if (incident.ResponseUrl is null) return;
            await Quietly(() => slack.Respond(incident.ResponseUrl, MessageResponse.InChannel(text), ct), "origin announcement");
        }
    }

    private async Task TellReporter(Incident incident, string channelId, CancellationToken ct)
    {
        var text = $"Incident #{incident.Number} is ready: <#{channelId}>. You are the incident commander until you hand it over with `{Usage.Commander}`.";
        if (incident.ResponseUrl is not null &&
            await Quietly(() => slack.Respond(incident.ResponseUrl, MessageResponse.Ephemeral(text), ct), "reporter reply"))
            return;
        var dm = await slack.Conversations.Open([incident.ReporterId], ct);
        await slack.Chat.PostMessage(new OutgoingMessage { Channel = dm, Text = text }, ct);
    }

    private async Task EnsureBotIdentity(CancellationToken ct)
    {
        if (bot.Current is not null) return;
        var me = await slack.Auth.Test(ct);
        bot.Set(me.UserId, me.BotId, me.TeamId);
    }

    private static async Task Tolerating(Func<Task> call, params string[] harmless)
    {
        try { await call(); }
        catch (SlackApiException e) when (harmless.Contains(e.Error)) { }
    }

    // A response_url expires after 30 minutes: a late retry must not fail the whole job over it.
    private async Task<bool> Quietly(Func<Task> call, string what)
    {
        try
        {
            await call();
            return true;
        }
        catch (Exception e) when (e is SlackApiException or HttpRequestException)
        {
            logger.LogInformation("Could not send the {What}: {Message}", what, e.Message);
            return false;
        }
    }
}
