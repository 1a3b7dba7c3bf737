using Bot.Database;
using Bot.Incidents;
using Bot.Slack.Blocks;
using Bot.Slack.Handlers;
using Bot.Slack.Interactivity;

namespace Bot.Documents;

/// <summary>The Answer modal: one box with the current answer; the submission stores it (who and when) and the
/// channel hears of it from <see cref="AnswerNoteJob"/>. The same answer twice changes nothing, and says so.</summary>
public sealed class AnswerQuestionModal(QuestionStore questions, Db db) : IViewSubmissionHandler
{
    public const string CallbackId = "postmortem_answer";
    private const string AnswerBlock = "answer";

    public static ModalView Build(Incident incident, StoredQuestion question)
    {
        var blocks = new List<Block>
        {
            Block.Section($"*Question {question.Number}* (incident #{incident.Number}): {Mrkdwn.Escape(CommandText.ToPlain(question.Text))}"),
        };
        if (question.AnsweredBy is { } by && question.AnsweredAt is { } at)
            blocks.Add(Block.Context($"Answered by {Mrkdwn.User(by)} {Mrkdwn.Date(new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)))}. Saving replaces that answer."));
        blocks.Add(Block.Input(AnswerBlock, "Answer", new PlainTextInputElement
        {
            ActionId = AnswerBlock, Multiline = true, MaxLength = QuestionCommand.MaxAnswer, InitialValue = question.Answer,
        }));
        return new ModalView("Answer question")
        {
            CallbackId = CallbackId,
            PrivateMetadata = AnswerQuestionButton.Value(incident.Id, question.Number),
            Submit = "Save",
            Close = "Cancel",
            Blocks = blocks,
        };
    }

    public async Task<ViewSubmissionResponse?> Handle(ViewSubmissionPayload payload, CancellationToken ct)
    {
        var user = payload.User?.Id;
        var answer = payload.View.State?.Values.GetValueOrDefault(AnswerBlock)?.GetValueOrDefault(AnswerBlock)?.Value?.Trim();
        if (user is null || AnswerQuestionButton.Parse(payload.View.PrivateMetadata) is not { } q)
            return Error("Slack did not say who you are or which question this is; close this and click Answer again.");
        if (string.IsNullOrEmpty(answer)) return Error("Write an answer, or Cancel.");

        var (outcome, _) = await db.InTransaction(async (conn, jobs) =>
        {
            var result = await questions.Answer(conn, q.IncidentId, q.Number, answer, user, ct);
            if (result.AnswerId is { } id) jobs.Enqueue<AnswerNoteJob>(j => j.Run(id, CancellationToken.None));
            return result;
        }, ct);
        return outcome switch
        {
            AnswerOutcome.NotFound => Error($"Question {q.Number} no longer exists."),
            AnswerOutcome.Unchanged => ViewSubmissionResponse.Update(new ModalView("Nothing changed")
            {
                Close = "Close",
                Blocks = [Block.Section($"Question {q.Number} already has exactly this answer, so nothing was saved.")],
            }),
            _ => ViewSubmissionResponse.Clear(),
        };
    }

    private static ViewSubmissionResponse Error(string message) =>
        ViewSubmissionResponse.WithErrors(new Dictionary<string, string> { [AnswerBlock] = message });
}
