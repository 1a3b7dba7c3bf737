using Bot.Incidents;
using Bot.People;
using Bot.Postmortems.Scheduling;
using Bot.Slack.Blocks;
using Bot.Slack.Handlers;
using Bot.Slack.Interactivity;
using Bot.Slack.WebApi;

namespace Bot.History;

/// <summary><c>/incident backfill [from &lt;date-time&gt;]</c>: opens an incident on the channel it is typed in, which
/// had its incident without the bot, and leaves reading the channel's history to <see cref="BackfillJob"/>. On the
/// request path: who typed it (their time zone, for <c>from</c>), what the channel is (conversations.info), one
/// transaction.</summary>
public sealed class BackfillCommand(
    BackfillStore store,
    ISlackApi slack,
    UserDirectory people,
    TimeProvider time,
    ILogger<BackfillCommand> logger)
{
    public const string InviteFirst =
        "I can't read this channel: it is private and I am not in it. Invite me with `/invite @incident-bot`, then run `/incident backfill` again.";

    public async Task<MessageResponse> Handle(SlashCommand command, string? from, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(command.TeamId) || string.IsNullOrEmpty(command.UserId))
            return MessageResponse.Ephemeral("Slack did not say which workspace and user this came from; try again.");
        if (string.IsNullOrEmpty(command.ChannelId) || command.ChannelId.StartsWith('D'))
            return MessageResponse.Ephemeral("`/incident backfill` reads the history of a channel: run it in the channel the incident happened in.");

        DateTimeOffset? start = null;
        if (from is not null)
        {
            var zone = TimeZones.Find((await people.People([command.UserId], ct)).GetValueOrDefault(command.UserId)?.Tz);
            var now = time.GetUtcNow();
            switch (WhenParser.Parse(from, now, zone))
            {
                case ParsedWhen.At { Minutes: null } at when at.Start <= now:
                    start = at.Start;
                    break;
                case ParsedWhen.At { Minutes: null }:
                    return MessageResponse.Ephemeral($"`{Mrkdwn.Escape(from)}` is in the future: give the time the incident began.\n{Usage.Line(Usage.Backfill)}");
                default:
                    return MessageResponse.Ephemeral($"I can't read `{Mrkdwn.Escape(from)}` as a time; try `2026-11-27 14:00` or `today 09:30`.\n{Usage.Line(Usage.Backfill)}");
            }
        }

        Conversation channel;
        try
        {
            channel = await slack.Conversations.Info(command.ChannelId, ct);
        }
        catch (SlackApiException e) when (e.Error == "channel_not_found")
        {
            // Slack hides a private channel the bot is not in (a DM or group DM the bot is not part of, too).
            return MessageResponse.Ephemeral(InviteFirst);
        }
        catch (SlackApiException e)
        {
            logger.LogWarning("/incident backfill: conversations.info for {Channel} failed: {Error}", command.ChannelId, e.Error);
            return MessageResponse.Ephemeral($"Slack would not tell me about this channel ({e.Error}); try again in a moment.");
        }
        if (channel.IsIm || channel.Name is null || channel.Name.StartsWith("mpdm-", StringComparison.Ordinal))
            return MessageResponse.Ephemeral("`/incident backfill` reads the history of a channel: run it in the channel the incident happened in, not in a direct message.");
        if (channel.IsArchived)
            return MessageResponse.Ephemeral("This channel is archived, so I can't join it or follow it; unarchive it first.");
        if (channel.IsPrivate && !channel.IsMember)
            return MessageResponse.Ephemeral(InviteFirst);

        var (incident, outcome) = await store.Open(new BackfillRequest(command.TeamId, channel.Id, channel.Name, channel.IsPrivate,
            TitleOf(channel), command.UserId, start, command.ResponseUrl), ct);
        var range = start is { } s ? $"from {SlackDate(s)}" : "from its first message";
        return outcome switch
        {
            BackfillStore.Outcome.Opened => MessageResponse.Ephemeral(
                $"Incident #{incident.Number} is open on this channel: {Mrkdwn.Escape(incident.Title)}. I'm reading its history {range}; " +
                "the progress shows here, and from now on I capture this channel as any incident channel."),
            BackfillStore.Outcome.ReadAgain => MessageResponse.Ephemeral(
                $"This channel is incident #{incident.Number}'s. I'm reading its history again {range}; what is already in the timeline is not added twice."),
            BackfillStore.Outcome.Running => MessageResponse.Ephemeral(
                $"I'm still reading this channel's history for incident #{incident.Number}; the progress message here says how far."),
            _ => MessageResponse.Ephemeral(
                $"This channel already is incident #{incident.Number}'s ({Mrkdwn.Escape(incident.Title)}), and I have captured it from the start: there is nothing to backfill."),
        };
    }

    /// <summary>As the export draft names it: the channel's purpose, else its topic, else #name (cut to a title's length).</summary>
    public static string TitleOf(Conversation channel)
    {
        var title = !string.IsNullOrWhiteSpace(channel.Purpose) ? channel.Purpose!.Trim()
            : !string.IsNullOrWhiteSpace(channel.Topic) ? channel.Topic!.Trim()
            : "#" + channel.Name;
        title = title.ReplaceLineEndings(" ");
        return title.Length <= IncidentCommandParser.MaxTitleLength ? title : title[..(IncidentCommandParser.MaxTitleLength - 1)] + "…";
    }

    /// <summary>Shown to every reader in their own time zone.</summary>
    public static string SlackDate(DateTimeOffset at) =>
        $"<!date^{at.ToUnixTimeSeconds()}^{{date_short_pretty}} at {{time}}|{at.UtcDateTime:yyyy-MM-dd HH:mm} UTC>";
}
