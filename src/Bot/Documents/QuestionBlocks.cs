using Bot.Slack.Blocks;

namespace Bot.Documents;

/// <summary>How questions look in Slack: the reply to <c>/postmortem question</c>, the <c>/postmortem questions</c>
/// list, the answer notes. Question and answer text is plain text here and escaped for mrkdwn.</summary>
public static class QuestionBlocks
{
    /// <summary>Questions per page of the list: with the header and the paging note, within Slack's 50 blocks a message.</summary>
    public const int PageSize = 40;

    public static ButtonElement AnswerButton(long incidentId, int number, bool answered) =>
        new(AnswerQuestionButton.ActionId, answered ? "Change answer" : "Answer")
        {
            Value = AnswerQuestionButton.Value(incidentId, number),
            Style = answered ? null : ButtonStyle.Primary,
        };

    public static string AskedText(int number, string by, string question) =>
        $":question: Question {number} from {Mrkdwn.User(by)}: {Mrkdwn.Escape(question)}";

    public static IReadOnlyList<Block> Asked(long incidentId, int number, string by, string question) =>
        [Block.Section(AskedText(number, by, question), AnswerButton(incidentId, number, answered: false))];

    public static string AnsweredText(int number, string by, string answer) =>
        $":speech_balloon: {Mrkdwn.User(by)} answered question {number}: {Mrkdwn.Escape(answer)}";

    /// <summary>The unanswered questions for the point person's prep DM and nudges, in at most <paramref name="maxBlocks"/>
    /// blocks (at least 3): a heading, one block per question with its Answer button, and what did not fit counted with
    /// where to see it. None unanswered, no blocks.</summary>
    public static IReadOnlyList<Block> Unanswered(PostmortemDocument doc, int maxBlocks)
    {
        var open = doc.Questions.Where(q => !q.IsAnswered).ToList();
        if (open.Count == 0) return [];
        var fits = open.Count <= maxBlocks - 1 ? open.Count : maxBlocks - 2;
        var blocks = new List<Block>
        {
            Block.Section(FormattableString.Invariant($"*Unanswered questions ({open.Count}):* publishing waits for them. ") +
                          "Answer with `/postmortem answer <n> <text>` or the Answer button."),
        };
        blocks.AddRange(open.Take(fits).Select(q => Block.Section(
            FormattableString.Invariant($"*{q.Number}.* ") + Mrkdwn.Escape(q.Text), AnswerButton(doc.IncidentId, q.Number, answered: false))));
        if (fits < open.Count)
            blocks.Add(Block.Context(FormattableString.Invariant($"…and {open.Count - fits} more: `/postmortem questions`")));
        return blocks;
    }

    /// <summary>One page of the list (page 1 first); past the end, the last page.</summary>
    public static (string Text, IReadOnlyList<Block> Blocks) List(PostmortemDocument doc, int page)
    {
        var all = doc.Questions;
        if (all.Count == 0)
            return ($"No questions yet for incident #{doc.Number}.",
                [Block.Section($"No questions yet for incident #{doc.Number}. Ask one with `/postmortem question <text>`, or react :question: to a message.")]);
        var pages = (all.Count + PageSize - 1) / PageSize;
        page = Math.Clamp(page, 1, pages);
        var shown = all.Skip((page - 1) * PageSize).Take(PageSize).ToList();
        var open = all.Count(q => !q.IsAnswered);
        var blocks = new List<Block> { Block.Header($"Questions, incident #{doc.Number} ({open} of {all.Count} unanswered)") };
        foreach (var q in shown)
        {
            var asked = q.AskedBy is null ? "" : $" _asked by {Mrkdwn.Escape(q.AskedBy)}_";
            var answer = q.IsAnswered
                ? $"\n*Answer*{(q.AnsweredBy is null ? "" : $" ({Mrkdwn.Escape(q.AnsweredBy)})")}: {Mrkdwn.Escape(q.Answer)}"
                : "\n_Not answered yet._";
            blocks.Add(Block.Section($"*{q.Number}.* {Mrkdwn.Escape(q.Text)}{asked}{answer}", AnswerButton(doc.IncidentId, q.Number, q.IsAnswered)));
        }
        if (pages > 1)
            blocks.Add(Block.Context(FormattableString.Invariant($"Questions {shown[0].Number}–{shown[^1].Number} of {all.Count}, page {page} of {pages}.") +
                (page < pages ? FormattableString.Invariant($" Next: `/postmortem questions {page + 1}`") : "")));
        return ($"Questions of incident #{doc.Number}: {open} of {all.Count} unanswered.", blocks);
    }
}
