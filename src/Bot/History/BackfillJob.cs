using Bot.Incidents;
using Bot.Slack.Events;
using Bot.Slack.Handlers;
using Bot.Slack.WebApi;
using Bot.Timeline;
using Hangfire;

namespace Bot.History;

/// <summary>Reads a channel's past into its incident's timeline: conversations.history page by page, the replies of
/// every thread, the pins. Each message, reaction and pin goes through the live capture's own statements
/// (TimelineStore) under a synthetic event id that names what it is (<see cref="Keys"/>), so a second run, or
/// Hangfire running this again after a crash half-way, adds nothing twice, and live events arriving meanwhile
/// merge with it as they merge with each other (the newest version of a message wins, by edited.ts).
/// The Web API client paces the calls by tier (conversations.history and chat.update are Tier 3).</summary>
public sealed class BackfillJob(
    BackfillStore store,
    IncidentStore incidents,
    TimelineStore timeline,
    ISlackApi slack,
    EmojiLegend legend,
    BotIdentity bot,
    TimeProvider time,
    ILogger<BackfillJob> logger)
{
    /// <summary>The progress message is updated after every page, and every this many threads.</summary>
    private const int ThreadsPerUpdate = 20;
    private const int MaxPages = 100_000;

    /// <summary>Errors that waiting will not cure: the run stops and says so in the channel (or to the requester).</summary>
    private static readonly HashSet<string> Final = new(StringComparer.Ordinal)
    {
        "channel_not_found", "not_in_channel", "missing_scope", "is_archived", "method_not_supported_for_channel_type",
        "restricted_action", "not_allowed_token_type", "invalid_auth", "account_inactive", "token_revoked",
    };

    [AutomaticRetry(Attempts = 3, DelaysInSeconds = [30, 120, 600])]
    public async Task Run(long incidentId, CancellationToken ct)
    {
        var backfill = await store.Get(incidentId, ct);
        var incident = await incidents.Get(incidentId, ct);
        if (backfill is null || backfill.FinishedAt is not null || incident?.ChannelId is null || incident.CancelledAt is not null) return;
        try
        {
            await Read(incident, backfill, ct);
        }
        catch (SlackApiException e) when (Final.Contains(e.Error))
        {
            logger.LogWarning("Incident {Id}: backfill stopped: Slack answered {Method} with {Error}", incidentId, e.Method, e.Error);
            await Stopped(incident, e.Error, ct);
        }
    }

    private async Task Read(Incident incident, Backfill backfill, CancellationToken ct)
    {
        var channel = incident.ChannelId!;
        await EnsureBotIdentity(ct);
        var info = await slack.Conversations.Info(channel, ct);
        // Slack reads history to members only; a public channel can be joined, a private one needs an invitation.
        if (!info.IsMember) await slack.Conversations.Join(channel, ct);

        var progressTs = backfill.ProgressTs ?? await PostProgress(incident.Id, channel, backfill, ct);
        var counts = new Counts();
        var startedAt = time.GetUtcNow();
        await store.Members(incident.Id, await slack.Conversations.Members(channel, ct), startedAt, ct);

        var threads = new List<string>();
        string? cursor = null;
        for (var page = 0; page < MaxPages; page++)
        {
            var messages = await slack.Conversations.HistoryPage(channel, backfill.OldestTs, cursor, ct);
            foreach (var m in messages.Messages)
            {
                await Capture(channel, m, counts, ct);
                if (m.ReplyCount > 0 && m.Ts is not null && (m.ThreadTs is null || m.ThreadTs == m.Ts)) threads.Add(m.Ts);
            }
            await UpdateProgress(channel, progressTs, Progress.Reading(backfill, counts), ct);
            cursor = messages.NextCursor;
            if (cursor is null) break;
        }

        foreach (var threadTs in threads.Distinct())
        {
            foreach (var reply in await slack.Conversations.Replies(channel, threadTs, ct))
                if (reply.Ts != threadTs)
                    await Capture(channel, reply, counts, ct);
            counts.Threads++;
            if (counts.Threads % ThreadsPerUpdate == 0) await UpdateProgress(channel, progressTs, Progress.Reading(backfill, counts), ct);
        }

        foreach (var pin in await slack.Pins.List(channel, ct))
        {
            var ts = pin.Message?.Ts;
            if (pin.Type != "message" || ts is null || !InRange(ts, backfill.OldestTs)) continue;
            var created = pin.Created?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? ts;
            await timeline.Pinned(Keys.Pin(channel, ts, created), channel, ts, pin.CreatedBy, PinnedLinks.In(pin.Message!.Text), created, ct);
            counts.Pins++;
        }

        await store.Finish(incident.Id, counts.Messages, counts.Threads, counts.Pins, counts.First, ct);
        await UpdateProgress(channel, progressTs, Progress.Done(incident, backfill, counts), ct);
        logger.LogInformation("Incident {Id}: backfilled {Messages} messages, {Threads} threads, {Pins} pins", incident.Id,
            counts.Messages, counts.Threads, counts.Pins);
    }

    /// <summary>One message as the live capture would have stored it (the same classifier: the bot's own posts,
    /// joins and other system messages are left out), with its reactions from the emoji legend.</summary>
    private async Task Capture(string channel, MessageEvent m, Counts counts, CancellationToken ct)
    {
        if (MessageClassifier.Classify(m, bot) is not MessageCapture.Posted posted) return;
        await timeline.MessageRead(Keys.Message(channel, posted.Ts, m.Edited?.Ts), channel, posted, m.Edited?.Ts, ct);
        if (counts.Seen.Add(posted.Ts))
        {
            counts.Messages++;
            var at = SlackTs.ToInstantOr(posted.Ts, time.GetUtcNow());
            if (counts.First is null || at < counts.First) counts.First = at;
        }
        foreach (var reaction in m.Reactions ?? [])
        {
            var emoji = ReactionMarksMessage.BaseEmoji(reaction.Name);
            if (legend.SectionFor(emoji) is not { } section) continue;
            // The Web API does not say when each person reacted: the message's own time is the earliest it can
            // have been, so any live removal (always later) wins over it.
            foreach (var user in reaction.Users ?? [])
                await timeline.ReactionAdded(Keys.Reaction(channel, posted.Ts, emoji, user), channel, posted.Ts, emoji, user, section, posted.Ts, ct);
        }
    }

    private static bool InRange(string ts, string? oldest) =>
        oldest is null || (SlackTs.TryToInstant(ts, out var at) && SlackTs.TryToInstant(oldest, out var from) && at > from);

    private async Task<string> PostProgress(long incidentId, string channel, Backfill backfill, CancellationToken ct)
    {
        var posted = await slack.Chat.PostMessage(new OutgoingMessage { Channel = channel, Text = Progress.Reading(backfill, new Counts()) }, ct);
        if (await store.SetProgressMessage(incidentId, posted.Ts, ct)) return posted.Ts;
        // Another run of this job posted first: keep its message (ours is a duplicate of it).
        return (await store.Get(incidentId, ct))?.ProgressTs ?? posted.Ts;
    }

    /// <summary>Progress is news, not data: a refused update must not stop the backfill.</summary>
    private async Task UpdateProgress(string channel, string ts, string text, CancellationToken ct)
    {
        try
        {
            await slack.Chat.Update(channel, ts, text, null, ct);
        }
        catch (SlackApiException e)
        {
            logger.LogInformation("Backfill progress in {Channel} not updated: {Error}", channel, e.Error);
        }
    }

    /// <summary>Records why the run stopped and says so where the requester will see it.</summary>
    public async Task Stopped(Incident incident, string error, CancellationToken ct)
    {
        await store.Fail(incident.Id, error, ct);
        var backfill = await store.Get(incident.Id, ct);
        var text = Progress.Failed(error);
        if (backfill?.ProgressTs is { } ts)
        {
            await UpdateProgress(incident.ChannelId!, ts, text, ct);
            return;
        }
        if (incident.ResponseUrl is null) return;
        try
        {
            await slack.Respond(incident.ResponseUrl, MessageResponse.Ephemeral(text), ct);
        }
        catch (Exception e) when (e is SlackApiException or HttpRequestException)
        {
            // A response_url lives 30 minutes; the log and the backfills row still say why.
            logger.LogInformation("Could not tell the requester that the backfill stopped: {Message}", e.Message);
        }
    }

    private async Task EnsureBotIdentity(CancellationToken ct)
    {
        if (bot.Current is not null) return;
        var me = await slack.Auth.Test(ct);
        bot.Set(me.UserId, me.BotId, me.TeamId);
    }

    private sealed class Counts
    {
        public HashSet<string> Seen { get; } = new(StringComparer.Ordinal);
        public int Messages { get; set; }
        public int Threads { get; set; }
        public int Pins { get; set; }
        public DateTimeOffset? First { get; set; }
    }

    /// <summary>The synthetic event ids (slack_events_processed). A message's names its version, so a message
    /// edited between two runs is read again; a reaction's and a pin's name who and when.</summary>
    public static class Keys
    {
        public static string Message(string channel, string ts, string? editedTs) => $"backfill:{channel}:{ts}:message:{editedTs ?? ts}";
        public static string Reaction(string channel, string ts, string emoji, string user) => $"backfill:{channel}:{ts}:reaction:{emoji}:{user}";
        public static string Pin(string channel, string ts, string created) => $"backfill:{channel}:{ts}:pin:{created}";
    }

    /// <summary>The one message that shows how far the backfill is.</summary>
    private static class Progress
    {
        public static string Reading(Backfill b, Counts c) =>
            $":hourglass_flowing_sand: Backfilling this channel {Range(b)}: {c.Messages} {Plural(c.Messages, "message")} read" +
            (c.Threads > 0 ? $", {c.Threads} {Plural(c.Threads, "thread")}" : "") + "…";

        public static string Done(Incident i, Backfill b, Counts c) =>
            $":white_check_mark: Backfilled {Range(b)}: {c.Messages} {Plural(c.Messages, "message")}, {c.Threads} {Plural(c.Threads, "thread")}, " +
            $"{c.Pins} {Plural(c.Pins, "pin")}. Incident #{i.Number} is open and I go on capturing this channel; `/incident timeline` shows it, `/incident resolve` ends it.";

        public static string Failed(string error) =>
            $":warning: I had to stop reading this channel's history: Slack answered `{error}`. " +
            (error is "not_in_channel" or "channel_not_found" ? "Invite me with `/invite @incident-bot` and run `/incident backfill` again; " : "Run `/incident backfill` again once that is fixed; ") +
            "what I read so far stays, and nothing is added twice.";

        private static string Range(Backfill b) =>
            SlackTs.TryToInstant(b.OldestTs, out var from) ? $"from {BackfillCommand.SlackDate(from)}" : "from its first message";

        private static string Plural(int n, string word) => n == 1 ? word : word + "s";
    }
}
