using Bot.Database;
using Bot.Documents;
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

/// <summary>After resolution: builds the document from the capture (every person's name fetched and cached, so later
/// renders on the request path find them), keeps a snapshot of it, suggests attendees, proposes the earliest slot in
/// the point person's working hours, and DMs the point person (once) with the document's summary, what is empty, and
/// buttons; the whole document follows in the DM as a Markdown file (DocumentUploadJob).</summary>
[AutomaticRetry(Attempts = 3, DelaysInSeconds = [5, 30, 120])]
public sealed class DraftPostmortemJob(
    Db db,
    IncidentStore incidents,
    PostmortemStore store,
    DocumentBuilder documents,
    DocumentRenderer renderer,
    UserDirectory people,
    DirectMessages dms,
    BotIdentity bot,
    ISlackApi slack,
    IOptions<PostmortemOptions> options,
    TimeProvider time)
{
    public const string ScheduleProposedAction = "postmortem_schedule_proposed";
    public const string PickTimeAction = "postmortem_pick_time";
    // Of the DM's 50 blocks (a divider before them): the heading and 10 questions, or 9 and "and N more".
    private const int MaxQuestionBlocks = 11;

    public async Task Run(long incidentId, CancellationToken ct)
    {
        var incident = await incidents.Get(incidentId, ct);
        var postmortem = await store.Get(incidentId, ct);
        if (incident is null || postmortem is null) return;
        var o = options.Value;

        var pointPerson = postmortem.PointPersonId;
        var person = (await people.People([pointPerson], ct)).GetValueOrDefault(pointPerson);
        var zone = TimeZones.Find(person?.Tz);
        var draft = await documents.BuildComplete(incidentId, zone.Id, ct);
        if (draft is null) return;
        var proposed = postmortem.ProposedStart is { } p
            ? new DateTimeOffset(DateTime.SpecifyKind(p, DateTimeKind.Utc))
            : SlotProposer.Propose(postmortem.Resolved, zone, WorkingTime.From(o), o.GapWorkingDays, o.MinimumGap, TimeSpan.FromMinutes(o.DefaultMinutes));
        await store.SaveDraft(incidentId, draft, proposed, ct);
        var groupMembers = await StakeholderGroupMembers(incident, o, ct);
        await db.InTransaction(async (conn, _) =>
            await MeetingStore.Seed(conn, incidentId, await AttendeeSuggestions.For(conn, incident, o, bot.Current?.UserId, groupMembers, ct),
                o.MaxAttendees, time.GetUtcNow(), ct), ct);

        if (await store.ClaimPrepDm(incidentId, ct))
        {
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
        // The whole document follows the DM as a file: requested once per incident (a retry of this job after the DM
        // went out still gets here, and requests nothing twice).
        await db.InTransaction(async (conn, jobs) =>
            await DocumentUploads.Request(conn, jobs, incidentId, pointPerson, DocumentUploads.Prep, time.GetUtcNow(), ct), ct);
    }

    private (string Text, IReadOnlyList<Block> Blocks) PrepMessage(Incident incident, PostmortemDocument draft, DateTimeOffset proposed,
        TimeZoneInfo zone, int minutes)
    {
        var text = $":clipboard: Incident #{incident.Number} *{Mrkdwn.Escape(incident.Title)}* is resolved after {draft.Duration}. " +
                   "As its point person, please prep the post-mortem before the meeting.";
        var filled = draft.Sections.Where(s => !s.IsEmpty).Select(s => $"{s.Title} ({s.Items.Count})").ToList();
        var empty = draft.Sections.Where(s => s.IsEmpty).Select(s => s.Title).ToList();
        var summary = renderer.Slack(draft);
        var blocks = new List<Block>
        {
            Block.Section(text),
            Block.Section("*Filled in from the channel:* " + (filled.Count == 0 ? "nothing yet" : Mrkdwn.Escape(string.Join(", ", filled)))),
            Block.Section("*Still empty:* " + (empty.Count == 0 ? "nothing" : Mrkdwn.Escape(string.Join(", ", empty))) +
                          "\nMark messages in the channel with the legend's emoji to fill a section. The whole document follows as a file; " +
                          "`/postmortem preview` sends it again as it stands."),
            Block.Divider(),
        };
        // The questions come before the summary is cut to fit: they block publishing, the summary is also in the file.
        var unanswered = QuestionBlocks.Unanswered(draft, MaxQuestionBlocks);
        List<Block> questions = unanswered.Count == 0 ? [] : [Block.Divider(), .. unanswered];
        blocks.AddRange(summary.Blocks.Take(SlackLimits.BlocksPerMessage - 7 - questions.Count));
        blocks.AddRange(questions);
        blocks.AddRange(
        [
            Block.Divider(),
            Block.Section($"*Proposed meeting:* {TimeZones.Describe(proposed, zone)}, {minutes} min (the earliest working-hours slot after the incident)."),
            Block.Actions(
                new ButtonElement(ScheduleProposedAction, "Schedule this")
                {
                    Style = ButtonStyle.Primary,
                    Value = $"{incident.Id}:{proposed.ToUnixTimeSeconds()}",
                },
                new ButtonElement(PickTimeAction, "Pick another time") { Value = incident.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) }),
        ]);
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
