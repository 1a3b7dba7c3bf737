using Bot.Database;
using Bot.Incidents;
using Bot.People;
using Bot.Postmortems.Meetings;
using Bot.Postmortems.Scheduling;
using Bot.Rendering;
using Bot.Slack.Blocks;
using Bot.Timeline;
using Bot.Slack.WebApi;
using Hangfire;
using Microsoft.Extensions.Options;

namespace Bot.Postmortems;

/// <summary>After resolution: fills in the draft from the capture, suggests attendees, proposes the earliest slot in
/// the point person's working hours, and DMs the point person (once) with a preview, what is empty, and buttons.</summary>
[AutomaticRetry(Attempts = 3, DelaysInSeconds = [5, 30, 120])]
public sealed class DraftPostmortemJob(
    Db db,
    IncidentStore incidents,
    PostmortemStore store,
    DraftBuilder drafts,
    UserDirectory people,
    DirectMessages dms,
    TemplateRenderer templates,
    BotIdentity bot,
    ISlackApi slack,
    IOptions<PostmortemOptions> options,
    TimeProvider time)
{
    public const string ScheduleProposedAction = "postmortem_schedule_proposed";
    public const string PickTimeAction = "postmortem_pick_time";

    public async Task Run(long incidentId, CancellationToken ct)
    {
        var incident = await incidents.Get(incidentId, ct);
        var postmortem = await store.Get(incidentId, ct);
        if (incident is null || postmortem is null) return;
        var o = options.Value;

        var pointPerson = postmortem.PointPersonId;
        var person = (await people.People([pointPerson], ct)).GetValueOrDefault(pointPerson);
        var zone = TimeZones.Find(person?.Tz);
        var draft = await drafts.Build(incident, postmortem.Summary, zone.Id, ct);
        var proposed = postmortem.ProposedStart is { } p
            ? new DateTimeOffset(DateTime.SpecifyKind(p, DateTimeKind.Utc))
            : SlotProposer.Propose(postmortem.Resolved, zone, WorkingTime.From(o), o.GapWorkingDays, o.MinimumGap, TimeSpan.FromMinutes(o.DefaultMinutes));
        await store.SaveDraft(incidentId, draft, proposed, ct);
        var groupMembers = await StakeholderGroupMembers(incident, o, ct);
        await db.InTransaction(async (conn, _) =>
            await MeetingStore.Seed(conn, incidentId, await AttendeeSuggestions.For(conn, incident, o, bot.Current?.UserId, groupMembers, ct),
                o.MaxAttendees, time.GetUtcNow(), ct), ct);

        if (!await store.ClaimPrepDm(incidentId, ct)) return;
        try
        {
            var (text, blocks) = PrepMessage(incident, draft, proposed, zone, o.DefaultMinutes);
            var posted = await dms.Send(pointPerson, text, blocks, ct);
            await store.PrepDmSent(incidentId, posted.Channel, posted.Ts, ct);
        }
        catch
        {
            await store.ReleasePrepDm(incidentId, ct);
            throw;
        }
    }

    private (string Text, IReadOnlyList<Block> Blocks) PrepMessage(Incident incident, PostmortemDraft draft, DateTimeOffset proposed,
        TimeZoneInfo zone, int minutes)
    {
        var text = $":clipboard: Incident #{incident.Number} *{Mrkdwn.Escape(incident.Title)}* is resolved after {draft.Duration}. " +
                   "As its point person, please prep the post-mortem before the meeting.";
        var filled = draft.Sections.Where(s => s.Items.Count > 0).Select(s => $"{s.Title} ({s.Items.Count})").ToList();
        var preview = templates.Render("postmortem.md", draft);
        // A section holds 3000 characters; the preview is a taste, /postmortem preview shows it all.
        if (preview.Length > 2500) preview = preview[..2500] + "\n…";
        var blocks = new List<Block>
        {
            Block.Section(text),
            Block.Section("*Filled in from the channel:* " + (filled.Count == 0 ? "nothing yet" : string.Join(", ", filled))),
            Block.Section("*Still empty:* " + (draft.EmptySections.Count == 0 ? "nothing" : string.Join(", ", draft.EmptySections)) +
                          "\nMark messages in the channel with the legend's emoji to fill a section."),
            Block.Section("```" + Mrkdwn.Escape(preview) + "```"),
            Block.Section($"*Proposed meeting:* {TimeZones.Describe(proposed, zone)}, {minutes} min (the earliest working-hours slot after the incident)."),
            Block.Actions(
                new ButtonElement(ScheduleProposedAction, "Schedule this")
                {
                    Style = ButtonStyle.Primary,
                    Value = $"{incident.Id}:{proposed.ToUnixTimeSeconds()}",
                },
                new ButtonElement(PickTimeAction, "Pick another time") { Value = incident.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) }),
        };
        return (text, blocks);
    }

    /// <summary>Members of the user groups configured as stakeholders for this severity (e.g. @product for sev1),
    /// read here in the job because it may call Slack; none configured, no call.</summary>
    private async Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> StakeholderGroupMembers(
        Incident incident, PostmortemOptions o, CancellationToken ct)
    {
        var wanted = AttendeeSuggestions.StakeholderGroups(incident, o);
        if (wanted.Count == 0) return new Dictionary<string, IReadOnlyList<string>>();
        var groups = await slack.Usergroups.List(includeUsers: true, ct);
        return groups.Where(g => wanted.Contains(g.Id)).ToDictionary(g => g.Id, g => g.Users);
    }
}
