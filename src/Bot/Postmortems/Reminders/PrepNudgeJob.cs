using Bot.Documents;
using Bot.Operations;
using Bot.Postmortems.Meetings;
using Bot.Slack.Blocks;
using Hangfire;
using Microsoft.Extensions.Options;

namespace Bot.Postmortems.Reminders;

/// <summary>Nudges the point person (by default 48 h and 4 h before the meeting) while required sections of the
/// document are still empty or questions are unanswered (each listed with its Answer button); says nothing when all
/// are filled and answered.</summary>
[AutomaticRetry(Attempts = 3, DelaysInSeconds = [5, 30, 120])]
public sealed class PrepNudgeJob(MeetingContextLoader loader, DocumentBuilder documents, SendMarkers markers, DirectMessages dms,
    IOptions<PostmortemOptions> options, TimeProvider time, BotMetrics metrics)
{
    // After the nudge's text: the heading and 10 questions, or 9 and "and N more".
    private const int MaxQuestionBlocks = 11;

    public async Task Run(long incidentId, int version, int hoursBefore, CancellationToken ct)
    {
        if (await loader.Load(incidentId, version, ct) is not { Meeting.IsScheduled: true } ctx || ctx.Meeting.Start <= time.GetUtcNow()) return;
        metrics.ReminderLate("prep_nudge", time.GetUtcNow() - ctx.Meeting.Start!.Value.AddHours(-hoursBefore));
        var pointPerson = ctx.Postmortem.PointPersonId;
        if (await documents.Build(incidentId, ctx.ZoneOf(pointPerson).Id, ct) is not { } document) return;
        // A hand edit counts as filled even with nothing marked in the channel (DocumentSection.IsEmpty).
        var empty = options.Value.RequiredSections.Where(k => document.Section(k)?.IsEmpty ?? true)
            .Select(k => document.Section(k)?.Title ?? k).ToList();
        var questions = QuestionBlocks.Unanswered(document, MaxQuestionBlocks);
        if (empty.Count == 0 && questions.Count == 0) return;
        var open = document.Questions.Count(q => !q.IsAnswered);
        var still = (empty.Count == 0 ? "" : $"these sections are still empty: {string.Join(", ", empty)}") +
                    (empty.Count == 0 || open == 0 ? "" : ", and ") +
                    (open == 0 ? "" : open == 1 ? "1 question is unanswered" : $"{open} questions are unanswered");
        var text = $":memo: The post-mortem of incident #{ctx.Incident.Number} *{Mrkdwn.Escape(ctx.Incident.Title)}* is at " +
                   $"*{ctx.TimeFor(pointPerson)}*, and {still}." +
                   (empty.Count == 0 ? "" : $" Mark messages in {ctx.ChannelLink} with the legend's emoji to fill them.");
        IReadOnlyList<Block>? blocks = questions.Count == 0 ? null : [Block.Section(text), .. questions];
        await markers.Once(incidentId, version, $"prep_{hoursBefore}h", pointPerson,
            async () => await dms.Send(pointPerson, text, blocks, ct), ct);
    }
}
