namespace Bot.Documents;

/// <summary>What a document is checked against: the sections that must not be empty (Bot:Postmortems:RequiredSections)
/// and the phrases that read as blame (Bot:Publishing:BlamingPhrases).</summary>
public sealed record ReadinessRules(IReadOnlyList<string> RequiredSections, IReadOnlyList<string> BlamingPhrases);

public enum ProblemKind
{
    IncidentNotResolved,
    EmptySection,
    UnansweredQuestion,
    ActionItemWithoutOwner,
    ActionItemWithoutDue,
    SameModeratorAndNotetaker,
    MeetingNotScheduled,
    MeetingNotHeld,
    BlamingPhrase,
    PersonNamedAsCause,
}

/// <summary>One thing that keeps the document from being published. <see cref="Text"/> and <see cref="Fix"/> are
/// plain text (backticks mark commands) with user text quoted as written: escape them for the output.</summary>
public sealed record ReadinessProblem(ProblemKind Kind, string Text, string Fix)
{
    public override string ToString() => $"{Text} {Fix}";
}

public sealed record ReadinessReport(IReadOnlyList<ReadinessProblem> Problems)
{
    public bool IsReady => Problems.Count == 0;
}

/// <summary>Is the post-mortem ready to go out? Every problem, each with how to fix it, in the document's order.
/// Pure: the model in, the list out (no Slack, no database), so it is the same in a test and in /postmortem publish.</summary>
public static class Readiness
{
    public static readonly IReadOnlyList<string> DefaultBlamingPhrases =
        ["fault", "blame", "blamed", "careless", "should have known", "human error", "negligent", "negligence", "incompetent"];

    public static ReadinessReport Check(PostmortemDocument doc, ReadinessRules rules)
    {
        var problems = new List<ReadinessProblem>();
        if (doc.ResolvedAt is null)
            problems.Add(new(ProblemKind.IncidentNotResolved, $"The incident is not resolved (status {doc.Status}): it was reopened.",
                "Resolve it again with `/incident resolve [summary]`, so the document covers the whole incident."));
        EmptySections(doc, rules, problems);
        Questions(doc, problems);
        ActionItems(doc, problems);
        Meeting(doc, problems);
        problems.AddRange(BlamelessCheck.Find(doc, rules.BlamingPhrases));
        return new ReadinessReport(problems);
    }

    private static void EmptySections(PostmortemDocument doc, ReadinessRules rules, List<ReadinessProblem> problems)
    {
        foreach (var key in rules.RequiredSections.Distinct(StringComparer.Ordinal))
        {
            var section = doc.Section(key);
            if (section is not null && !section.IsEmpty) continue;
            var title = section?.Title ?? SectionKeys.Title(key);
            problems.Add(new(ProblemKind.EmptySection, $"The section \"{title}\" is empty.",
                "Write it with `/postmortem edit`, or mark messages in the incident channel with its emoji."));
        }
    }

    private static void Questions(PostmortemDocument doc, List<ReadinessProblem> problems)
    {
        foreach (var q in doc.Questions.Where(q => !q.IsAnswered))
            problems.Add(new(ProblemKind.UnansweredQuestion, $"Question {q.Number} has no answer: \"{Quote.Cut(q.Text)}\".",
                $"Answer it with `/postmortem answer {q.Number} <text>`."));
    }

    private static void ActionItems(PostmortemDocument doc, List<ReadinessProblem> problems)
    {
        foreach (var item in doc.ActionItems)
        {
            if (string.IsNullOrWhiteSpace(item.OwnerId) && string.IsNullOrWhiteSpace(item.Owner))
                problems.Add(new(ProblemKind.ActionItemWithoutOwner, $"The action item \"{Quote.Cut(item.Text)}\" has no owner.",
                    "Give it an owner: someone who will see it through."));
            if (string.IsNullOrWhiteSpace(item.Due))
                problems.Add(new(ProblemKind.ActionItemWithoutDue, $"The action item \"{Quote.Cut(item.Text)}\" has no due date.",
                    "Give it a due date, so its owner is reminded."));
        }
    }

    private static void Meeting(PostmortemDocument doc, List<ReadinessProblem> problems)
    {
        var m = doc.Meeting;
        if (m is null || m.Cancelled || m.Start is null)
        {
            problems.Add(new(ProblemKind.MeetingNotScheduled,
                m is { Cancelled: true } ? "The post-mortem meeting was cancelled and not held." : "No post-mortem meeting is scheduled.",
                "Schedule it with `/postmortem schedule <when>`; publish after it was held."));
        }
        else if (!m.Held)
        {
            problems.Add(new(ProblemKind.MeetingNotHeld, $"The post-mortem meeting ({m.StartText ?? "scheduled"}) has not been held yet.",
                "Publish after the meeting, with what was decided in it."));
        }
        if (m is { Moderator: { Length: > 0 } moderator, Notetaker: { Length: > 0 } notetaker }
            && string.Equals(moderator.Trim(), notetaker.Trim(), StringComparison.OrdinalIgnoreCase))
            problems.Add(new(ProblemKind.SameModeratorAndNotetaker, $"{moderator} is both the moderator and the notetaker.",
                "Name someone else as notetaker with `/postmortem notetaker @b`: one person can't lead and take notes."));
    }
}

internal static class Quote
{
    public const int Max = 120;

    /// <summary>User text in a problem line: one line, and short enough that a long section does not flood the list.</summary>
    public static string Cut(string text)
    {
        var flat = string.Join(' ', text.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries)).Trim();
        return flat.Length <= Max ? flat : flat[..(Max - 1)].TrimEnd() + "…";
    }
}
