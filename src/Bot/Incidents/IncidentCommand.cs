using Bot.Access;
using Bot.Slack.Blocks;
using Bot.Slack.Handlers;
using Bot.Slack.Interactivity;
using Bot.Slack.WebApi;
using Bot.Timeline;
using Microsoft.Extensions.Options;

namespace Bot.Incidents;

/// <summary>/incident: opens incidents and changes them from their channel. Answers within Slack's
/// 3 seconds: one short transaction, and Slack work (the channel) left to OpenIncidentChannelJob.</summary>
public sealed class IncidentCommand(
    IncidentStore store,
    IOptions<IncidentOptions> options,
    ISlackApi slack,
    TimelineView timeline,
    Bot.Postmortems.ResolveIncident resolve,
    Bot.History.BackfillCommand backfill,
    AccessPolicy access,
    Bot.Stats.StatsCommand stats,
    ILogger<IncidentCommand> logger) : ISlashCommandHandler
{
    public const string Command = "/incident";

    private const string NeedsIncidentChannel =
        "This command works in an incident channel. Open an incident with `" + Usage.New + "`.";

    public async Task<MessageResponse?> Handle(SlashCommand command, CancellationToken ct)
    {
        var parsed = IncidentCommandParser.Parse(command.Text);
        switch (parsed)
        {
            case ParsedCommand.Help:
                return MessageResponse.Ephemeral(Usage.HelpText);
            case ParsedCommand.Invalid invalid:
                return MessageResponse.Ephemeral(invalid.Message);
            case ParsedCommand.New { Title: null } n:
                return await OpenModal(command, n.Sev, n.Private ?? options.Value.PrivateChannels, ct);
            case ParsedCommand.New n:
                return await Open(command, n.Title!, n.Sev, n.Private ?? options.Value.PrivateChannels, ct);
            // Typed where there is no incident yet: it opens one on the channel it is typed in.
            case ParsedCommand.Backfill b:
                return await backfill.Handle(command, b.From, ct);
            case ParsedCommand.Stats s:
                return await stats.Handle(command, s.Days, ct);
        }

        if (string.IsNullOrEmpty(command.ChannelId)) return MessageResponse.Ephemeral(NeedsIncidentChannel);
        var incident = await store.ByChannel(command.ChannelId, ct);
        if (incident is null) return MessageResponse.Ephemeral(NeedsIncidentChannel);
        var by = command.UserId ?? "";
        // Before anything changes: only the people the incident names may steer it.
        if (Restricted(parsed) is { } act && await access.Refusal(incident.Id, by, act, ct) is { } refusal)
            return MessageResponse.Ephemeral(refusal);

        switch (parsed)
        {
            case ParsedCommand.Commander c:
                var commander = await store.Set(incident.Id, EntryKinds.Commander, c.UserId, by, ct);
                return commander.Outcome switch
                {
                    IncidentStore.Outcome.Resolved => Resolved(incident, "commander"),
                    IncidentStore.Outcome.Unchanged => MessageResponse.Ephemeral($"<@{c.UserId}> is already the commander."),
                    _ => MessageResponse.InChannel($":firefighter: <@{c.UserId}> is now the incident commander (was <@{commander.From}>), set by <@{by}>."),
                };

            case ParsedCommand.Role r:
                var role = await store.AssignRole(incident.Id, r.RoleName, r.UserId, by, ct);
                return role.Outcome switch
                {
                    IncidentStore.Outcome.Resolved => Resolved(incident, "roles"),
                    IncidentStore.Outcome.Unchanged => MessageResponse.Ephemeral($"<@{r.UserId}> already has the role {Mrkdwn.Escape(r.RoleName)}."),
                    _ => MessageResponse.InChannel($":bust_in_silhouette: <@{r.UserId}> is now *{Mrkdwn.Escape(r.RoleName)}*" +
                        (role.From is null ? "" : $" (was <@{role.From}>)") + $", set by <@{by}>."),
                };

            case ParsedCommand.Status s:
                var status = await store.Set(incident.Id, EntryKinds.Status, s.Value, by, ct);
                return status.Outcome switch
                {
                    IncidentStore.Outcome.Resolved => Resolved(incident, "status"),
                    IncidentStore.Outcome.Unchanged => MessageResponse.Ephemeral($"The status is already *{s.Value}*."),
                    _ => MessageResponse.InChannel($":traffic_light: Status: *{s.Value}* (was {status.From}), set by <@{by}>."),
                };

            case ParsedCommand.Severity v:
                var severity = await store.Set(incident.Id, EntryKinds.Severity, v.Value, by, ct);
                return severity.Outcome switch
                {
                    IncidentStore.Outcome.Resolved => Resolved(incident, "severity"),
                    IncidentStore.Outcome.Unchanged => MessageResponse.Ephemeral($"The severity is already *{v.Value}*."),
                    _ => MessageResponse.InChannel($":rotating_light: Severity: *{v.Value}* (was {severity.From ?? "not set"}), set by <@{by}>."),
                };

            case ParsedCommand.Reopen reopen:
                if (!await store.Reopen(incident.Id, by, reopen.Reason, ct))
                    return MessageResponse.Ephemeral($"Incident #{incident.Number} is not resolved, so there is nothing to reopen.");
                return MessageResponse.InChannel($":arrows_counterclockwise: Incident #{incident.Number} is *reopened* by <@{by}>; status: *investigating*." +
                    TimelineText.Quote(reopen.Reason) +
                    "\nIts post-mortem stays as it is; `/incident resolve` again moves its end time.");

            case ParsedCommand.Note note:
                await store.AddNote(incident.Id, note.Text, by, ct);
                return MessageResponse.InChannel($":pencil: Note from <@{by}>: {TimelineText.Defused(note.Text)}");

            case ParsedCommand.Link link:
                await store.AddLink(incident.Id, link.Label, link.Url, by, ct);
                return MessageResponse.InChannel($":link: War-room link added by <@{by}>: {Mrkdwn.Link(link.Url, link.Label)}");

            case ParsedCommand.Resolve r:
                return await resolve.Handle(incident, by, r.Summary, ct);

            case ParsedCommand.Timeline:
                return await timeline.Page(incident, 0, ct);
        }
        return MessageResponse.Ephemeral(Usage.HelpText);
    }

    /// <summary>What a verb needs beyond being in the channel; null for notes, links and the timeline (anyone's).</summary>
    private static Act? Restricted(ParsedCommand parsed) => parsed switch
    {
        ParsedCommand.Commander => Acts.Commander,
        ParsedCommand.Role => Acts.Role,
        ParsedCommand.Status => Acts.Status,
        ParsedCommand.Severity => Acts.Severity,
        ParsedCommand.Resolve => Acts.Resolve,
        ParsedCommand.Reopen => Acts.Reopen,
        _ => null,
    };

    /// <summary>A resolved incident keeps the facts it was resolved with; changing them means reopening it, on the record.</summary>
    private static MessageResponse Resolved(Incident incident, string what) =>
        MessageResponse.Ephemeral($"Incident #{incident.Number} is resolved, so its {what} cannot change. " +
            $"Reopen it first with `{Usage.Reopen}`.");

    private async Task<MessageResponse> Open(SlashCommand command, string title, string? severity, bool isPrivate, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(command.TeamId) || string.IsNullOrEmpty(command.UserId))
            return MessageResponse.Ephemeral("Slack did not say which workspace and user this came from; try again.");
        var o = options.Value;
        var incident = await store.Open(
            new NewIncident(command.TeamId, title, severity, null, command.UserId, command.ChannelId, command.ResponseUrl),
            o.ChannelPrefix, isPrivate, ct);
        return MessageResponse.Ephemeral(
            $"Opening #{incident.ChannelName} for incident #{incident.Number}: {Mrkdwn.Escape(title)}. I'll tell you when the channel is ready.");
    }

    private async Task<MessageResponse?> OpenModal(SlashCommand command, string? severity, bool isPrivate, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(command.TriggerId))
            return MessageResponse.Ephemeral(Usage.Line(Usage.New));
        try
        {
            await slack.Views.Open(command.TriggerId, NewIncidentModal.Build(command.ChannelId, severity, isPrivate), ct);
            return null;
        }
        catch (SlackApiException e)
        {
            // trigger_id lives 3 s; when it has expired the user can still type the title.
            logger.LogWarning("views.open for /incident new failed: {Error}", e.Error);
            return MessageResponse.Ephemeral($"I couldn't open the form ({e.Error}). {Usage.Line(Usage.New)}");
        }
    }
}
