using Bot.Access;
using Bot.Documents;
using Bot.ActionItems;
using Bot.Incidents;
using Bot.People;
using Bot.Postmortems.Meetings;
using Bot.Postmortems.Scheduling;
using Bot.Rendering;
using Bot.Slack.Blocks;
using Bot.Slack.Handlers;
using Bot.Slack.Interactivity;

namespace Bot.Postmortems;

/// <summary>/postmortem, in the incident channel: the meeting (schedule, move, cancel), who comes, who moderates and
/// who takes notes, and a preview of the draft. Answers within Slack's 3 s: one transaction, Slack work in jobs.</summary>
public sealed class PostmortemCommand(
    IncidentStore incidents,
    PostmortemStore postmortems,
    MeetingStore meetings,
    EditCommand edit,
    QuestionCommand questions,
    MeetingScheduler scheduler,
    UserDirectory people,
    Bot.Publishing.PublishCommand publish,
    PreviewCommand preview,
    ActionItemCommands actionItems,
    AccessPolicy access,
    Home.HomeRefresh homes,
    TimeProvider time) : ISlashCommandHandler
{
    public const string Command = "/postmortem";

    public async Task<MessageResponse?> Handle(SlashCommand command, CancellationToken ct)
    {
        var request = PostmortemCommandParser.Parse(command.Text);
        if (request is PostmortemRequest.Help) return MessageResponse.Ephemeral(PostmortemCommandParser.HelpText);
        if (request is PostmortemRequest.Invalid invalid) return MessageResponse.Ephemeral(invalid.Message);
        if (request is PostmortemRequest.Actions { Mine: true }) return await actionItems.Mine(command.UserId ?? "", ct);

        var incident = string.IsNullOrEmpty(command.ChannelId) ? null : await incidents.ByChannel(command.ChannelId, ct);
        if (incident is null) return MessageResponse.Ephemeral("This command works in an incident channel.");
        var postmortem = await postmortems.Get(incident.Id, ct);
        if (postmortem is null)
            return MessageResponse.Ephemeral("The post-mortem starts when the incident is resolved: `/incident resolve [summary]`.");
        var by = command.UserId ?? "";
        // Before anything changes (or a modal opens): the meeting is the responders', the document the point person's.
        if (Restricted(request) is { } act && await access.Refusal(incident.Id, by, act, ct) is { } refusal)
            return MessageResponse.Ephemeral(refusal);

        switch (request)
        {
            case PostmortemRequest.Schedule s:
                return await Schedule(incident, s.When, by, reschedule: false, ct);
            case PostmortemRequest.Reschedule r:
                return await Schedule(incident, r.When, by, reschedule: true, ct);
            case PostmortemRequest.Cancel:
                return MessageResponse.InChannel(await scheduler.Cancel(incident, by, ct));
            case PostmortemRequest.Invite i:
                var added = await meetings.Invite(incident.Id, i.Users, by, ct);
                if (added.Count == 0) return MessageResponse.Ephemeral("They are invited already.");
                await scheduler.SendPendingInvites(incident.Id, ct);
                await homes.Request(added, ct);
                return MessageResponse.InChannel($":envelope: Invited to the post-mortem by <@{by}>: {Mentions(added)}.");
            case PostmortemRequest.Uninvite u:
                var removed = await meetings.Uninvite(incident.Id, u.Users, ct);
                if (removed.Count > 0) await scheduler.SendPendingInvites(incident.Id, ct);
                await homes.Request(removed, ct);
                return removed.Count == 0
                    ? MessageResponse.Ephemeral("They were not on the list.")
                    : MessageResponse.InChannel($"No longer invited to the post-mortem (by <@{by}>): {Mentions(removed)}.");
            case PostmortemRequest.Attendees:
                return await AttendeeList(incident, ct);
            case PostmortemRequest.Moderator m:
                return await Role(incident, moderator: true, m.UserId, by, ct);
            case PostmortemRequest.Notetaker n:
                return await Role(incident, moderator: false, n.UserId, by, ct);
            case PostmortemRequest.Edit e: return await edit.Handle(incident, e.Section, command, ct);
            case PostmortemRequest.Question q: return await questions.Ask(incident, q.Text, by, ct);
            case PostmortemRequest.Questions l: return await questions.List(incident, l.Page, ct);
            case PostmortemRequest.Answer a: return await questions.Answer(incident, a.Number, a.Text, by, ct);
            case PostmortemRequest.Publish p:
                return await publish.Handle(incident, postmortem, by, p.Force, ct);
            case PostmortemRequest.Action a: return await actionItems.Add(command, incident, a.Text, ct);
            case PostmortemRequest.Actions: return await actionItems.List(incident, by, ct);
            case PostmortemRequest.Preview:
                return await preview.Handle(incident, by, ct);
        }
        return MessageResponse.Ephemeral(PostmortemCommandParser.HelpText);
    }

    /// <summary>What a verb needs beyond being in the channel; null for questions, answers, lists, preview and new
    /// action items (anyone's).</summary>
    private static Act? Restricted(PostmortemRequest request) => request switch
    {
        PostmortemRequest.Schedule => Acts.Schedule,
        PostmortemRequest.Reschedule => Acts.Reschedule,
        PostmortemRequest.Cancel => Acts.CancelMeeting,
        PostmortemRequest.Invite or PostmortemRequest.Uninvite => Acts.Invite,
        PostmortemRequest.Moderator or PostmortemRequest.Notetaker => Acts.MeetingRoles,
        PostmortemRequest.Edit => Acts.Edit,
        PostmortemRequest.Publish { Force: true } => Acts.ForcePublish,
        PostmortemRequest.Publish => Acts.Publish,
        _ => null,
    };

    private async Task<MessageResponse> Schedule(Incident incident, string when, string by, bool reschedule, CancellationToken ct)
    {
        var zone = await ZoneOf(by, ct);
        var parsed = WhenParser.Parse(when, time.GetUtcNow(), zone);
        if (parsed is ParsedWhen.Invalid bad) return MessageResponse.Ephemeral(bad.Message);
        var at = (ParsedWhen.At)parsed;
        var outcome = await scheduler.Schedule(incident, at.Start, at.Minutes, by, zone, reschedule, ct);
        return Reply(outcome, by, zone, reschedule);
    }

    /// <summary>The channel's reply after a schedule or move (also used by the buttons and the modal).</summary>
    public static MessageResponse Reply(ScheduleOutcome outcome, string by, TimeZoneInfo zone, bool reschedule)
    {
        if (outcome is ScheduleOutcome.Refused refused) return MessageResponse.Ephemeral(refused.Message);
        var (meeting, warnings, invited) = (ScheduleOutcome.Scheduled)outcome;
        var start = meeting.Start!.Value;
        // <!date^...> shows every reader the time in their own zone; the fallback names the scheduler's zone.
        var when = $"<!date^{start.ToUnixTimeSeconds()}^{{date_short_pretty}} at {{time}}|{TimeZones.Describe(start, zone)}>";
        var text = $":calendar: Post-mortem meeting {(reschedule ? "moved to" : "scheduled for")} {when} ({meeting.DurationMinutes} min) by <@{by}>. " +
                   $"Moderator: {Mention(meeting.ModeratorId)}, notetaker: {Mention(meeting.NotetakerId)}" +
                   $"{(meeting.ModeratorId is null || meeting.NotetakerId is null ? "" : " (change with `/postmortem moderator @a` / `notetaker @b`)")}. " +
                   $"Invites with a calendar file are on their way to {invited} attendee{(invited == 1 ? "" : "s")}.";
        foreach (var w in warnings) text += $"\n:warning: {w}";
        return MessageResponse.InChannel(text);
    }

    private async Task<MessageResponse> Role(Incident incident, bool moderator, string user, string by, CancellationToken ct)
    {
        var name = moderator ? "moderator" : "notetaker";
        var other = moderator ? "notetaker" : "moderator";
        return await meetings.SetRole(incident.Id, moderator, user, ct) switch
        {
            MeetingStore.RoleOutcome.Unchanged => MessageResponse.Ephemeral($"<@{user}> is already the {name}."),
            MeetingStore.RoleOutcome.HeldByOtherRole => MessageResponse.Ephemeral(
                $"<@{user}> is the {other}; one person can't be both moderator and notetaker. I kept the {other}. Name someone else as {name}."),
            _ => MessageResponse.InChannel($":bust_in_silhouette: <@{user}> is the post-mortem {name} (set by <@{by}>)."),
        };
    }

    private async Task<MessageResponse> AttendeeList(Incident incident, CancellationToken ct)
    {
        var list = await meetings.Attendees(incident.Id, ct);
        var meeting = await meetings.Get(incident.Id, ct);
        var invited = list.Where(a => !a.Optional).Select(a => $"<@{a.UserId}>{(a.Reason is null ? "" : $" ({a.Reason})")}").ToList();
        var optional = list.Where(a => a.Optional).Select(a => $"<@{a.UserId}>").ToList();
        var text = "*Post-mortem attendees*\n" + (invited.Count == 0 ? "Nobody yet." : string.Join("\n", invited.Select(i => "• " + i)));
        if (optional.Count > 0) text += $"\n*Optional* (invite with `{PostmortemCommandParser.Invite}`): {string.Join(", ", optional)}";
        if (meeting is not null) text += $"\nModerator: {Mention(meeting.ModeratorId)} · Notetaker: {Mention(meeting.NotetakerId)}";
        return MessageResponse.Ephemeral(text);
    }

    private async Task<TimeZoneInfo> ZoneOf(string user, CancellationToken ct) =>
        TimeZones.Find((await people.People([user], ct)).GetValueOrDefault(user)?.Tz);

    private static string Mention(string? id) => id is null ? "not named yet" : $"<@{id}>";
    private static string Mentions(IEnumerable<string> ids) => string.Join(", ", ids.Select(i => $"<@{i}>"));
}
