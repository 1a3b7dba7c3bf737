using Bot.Incidents;
using Bot.Slack.Handlers;
using Bot.Timeline;

namespace Bot.Documents;

/// <summary><c>/postmortem question &lt;text&gt;</c>, <c>questions [page]</c> and <c>answer &lt;n&gt; &lt;text&gt;</c>.
/// Questions are kept as Slack sent them (mentions resolved to names when the document is built); answers as plain text.</summary>
public sealed class QuestionCommand(QuestionStore questions, DocumentBuilder documents)
{
    public const int MaxQuestion = 2000;
    /// <summary>An answer must fit the Answer modal's box to be changed there without losing text.</summary>
    public const int MaxAnswer = Bot.Slack.Blocks.SlackLimits.PlainTextInputMaxLength;

    public async Task<MessageResponse> Ask(Incident incident, string slackText, string by, CancellationToken ct)
    {
        var plain = CommandText.ToPlain(slackText).Trim();
        if (plain.Length > MaxQuestion)
            return MessageResponse.Ephemeral(FormattableString.Invariant($"A question is at most {MaxQuestion:N0} characters (this one is {plain.Length:N0}). Ask it shorter, and add the details as its answer."));
        await questions.SyncMarked(incident.Id, ct); // so numbers follow the order questions came up in
        var number = await questions.Add(incident.Id, slackText.Trim(), by, ct);
        return MessageResponse.InChannel(QuestionBlocks.AskedText(number, by, plain), QuestionBlocks.Asked(incident.Id, number, by, plain));
    }

    public async Task<MessageResponse> List(Incident incident, int page, CancellationToken ct)
    {
        // Built, not read from the store: building copies messages marked :question: into the list and resolves names.
        var doc = await documents.Build(incident.Id, null, ct);
        if (doc is null) return MessageResponse.Ephemeral("This incident no longer exists.");
        var (text, blocks) = QuestionBlocks.List(doc, page);
        return MessageResponse.Ephemeral(text, blocks);
    }

    public async Task<MessageResponse> Answer(Incident incident, int number, string slackText, string by, CancellationToken ct)
    {
        var answer = CommandText.ToPlain(slackText).Trim();
        if (answer.Length > MaxAnswer)
            return MessageResponse.Ephemeral(FormattableString.Invariant($"An answer is at most {MaxAnswer:N0} characters (this one is {answer.Length:N0})."));
        var outcome = await questions.Answer(incident.Id, number, answer, by, ct);
        if (outcome == AnswerOutcome.NotFound)
        {
            await questions.SyncMarked(incident.Id, ct); // a :question: message not copied in yet
            outcome = await questions.Answer(incident.Id, number, answer, by, ct);
        }
        return outcome switch
        {
            AnswerOutcome.NotFound => MessageResponse.Ephemeral($"There is no question {number} in incident #{incident.Number}. `/postmortem questions` lists them."),
            AnswerOutcome.Unchanged => MessageResponse.Ephemeral($"Question {number} already has this answer; nothing changed."),
            _ => MessageResponse.InChannel(QuestionBlocks.AnsweredText(number, by, answer)),
        };
    }
}
