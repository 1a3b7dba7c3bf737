using Bot.Documents;
using Bot.Timeline;

namespace Bot.Tests.Documents;

/// <summary>The readiness check on constructed documents: each problem is found with how to fix it, and a complete,
/// blameless document passes.</summary>
public sealed class ReadinessTests
{
    private static readonly ReadinessRules Rules = new([Sections.Symptoms, Sections.Hypothesis, Sections.Remediation], Readiness.DefaultBlamingPhrases);
    private static readonly DateTimeOffset T0 = new(2026, 11, 27, 3, 10, 0, TimeSpan.Zero);

    private static DocumentItem Item(string text, string author = "Jane Doe", string time = "03:10") =>
        new(T0, "2026-11-27", time, "U0JANE", author, text, null);

    private static DocumentSection Section(string key, params DocumentItem[] items) => new(key, SectionKeys.Title(key), items, null);

    /// <summary>Complete and blameless: every required section filled, questions answered, items owned and due, the
    /// meeting held with two different people in the roles.</summary>
    public static PostmortemDocument Clean() => new()
    {
        IncidentId = 1, Number = 7, Title = "Checkout down", Severity = "sev2", Status = "resolved", ChannelId = "C1", ChannelName = "inc-7",
        OpenedAt = T0, ResolvedAt = T0.AddHours(2), Duration = "2 h", TimeZone = "Europe/London", OpenedText = "2026-11-27 03:10",
        ResolvedText = "2026-11-27 05:10",
        Summary = new DocumentSection(SectionKeys.Summary, "Summary", [], new SectionEdit("Checkout broke for 2 h after a config push.", "U0JANE", "Jane Doe", T0)),
        Sections =
        [
            Section(Sections.Observations, Item("Error rate at 40%")),
            Section(Sections.Symptoms, Item("Checkout returned 502 because the pool was exhausted")),
            Section(Sections.Hypothesis, Item("The deploy pipeline allowed an untested config to ship")),
            Section(Sections.Remediation, Item("Rolled back the config", "Bob Hope", "04:55")),
            Section(Sections.Impact),
            Section(Sections.WentWell, Item("Bob Hope found the bad config quickly")),
        ],
        People = [new("U0JANE", "Jane Doe", "Engineer", ["point person"]), new("U0BOB", "Bob Hope", "Backend", [])],
        Timeline = [],
        WarRoom = new WarRoom("C1", "inc-7", []),
        Screenshots = [],
        ActionItems = [new DocumentActionItem("Add a config canary", "U0BOB", "Bob Hope", "2026-12-15", "open", null)],
        Questions = [new DocumentQuestion(1, "Why did the alert not fire?", "Jane Doe", "It was muted", "Bob Hope", T0)],
        Meeting = new DocumentMeeting(T0.AddDays(1), "2026-11-28 10:00", 45, "Jane Doe", "Bob Hope", ["Jane Doe", "Bob Hope"], Cancelled: false, Held: true),
        Edits = [],
    };

    private static ReadinessProblem Only(PostmortemDocument doc, ProblemKind kind) =>
        Assert.Single(Readiness.Check(doc, Rules).Problems, p => p.Kind == kind);

    [Fact]
    public void CleanDocument_IsReady()
    {
        var report = Readiness.Check(Clean(), Rules);
        Assert.True(report.IsReady, string.Join("\n", report.Problems));
    }

    [Fact]
    public void EmptyRequiredSection_IsNamed_WithHowToFillIt()
    {
        var doc = Clean() with { Sections = [.. Clean().Sections.Where(s => s.Key != Sections.Remediation), Section(Sections.Remediation)] };
        var problem = Only(doc, ProblemKind.EmptySection);
        Assert.Contains("\"Remediation\" is empty", problem.Text);
        Assert.Contains("/postmortem edit", problem.Fix);
        Assert.Single(Readiness.Check(doc, Rules).Problems);
    }

    [Fact]
    public void RequiredSection_EditedToBlank_IsEmpty_AndOneMissingFromTheModel_IsReported()
    {
        var blank = new DocumentSection(Sections.Symptoms, "Symptoms", [Item("captured")], new SectionEdit("  ", "U0JANE", "Jane Doe", T0));
        var doc = Clean() with { Sections = [.. Clean().Sections.Where(s => s.Key is not (Sections.Symptoms or Sections.Hypothesis)), blank] };
        var problems = Readiness.Check(doc, Rules).Problems.Where(p => p.Kind == ProblemKind.EmptySection).Select(p => p.Text).ToList();
        Assert.Equal(2, problems.Count);
        Assert.Contains(problems, t => t.Contains("\"Symptoms\""));
        Assert.Contains(problems, t => t.Contains("\"Contributing factors\""));
    }

    [Fact]
    public void UnansweredQuestion_GivesItsNumber_AndTheAnswerCommand()
    {
        var doc = Clean() with
        {
            Questions = [Clean().Questions[0], new DocumentQuestion(2, "Who owns\nthe pool size?", "Jane Doe", null, null, null), new DocumentQuestion(3, "Why 40%?", null, " ", null, null)],
        };
        var problems = Readiness.Check(doc, Rules).Problems.Where(p => p.Kind == ProblemKind.UnansweredQuestion).ToList();
        Assert.Equal(2, problems.Count);
        Assert.Equal("Question 2 has no answer: \"Who owns the pool size?\".", problems[0].Text);
        Assert.Equal("Answer it with `/postmortem answer 2 <text>`.", problems[0].Fix);
        Assert.Contains("/postmortem answer 3 <text>", problems[1].Fix);
    }

    [Fact]
    public void ActionItems_WithoutOwner_OrDueDate_AreEachReported()
    {
        var doc = Clean() with
        {
            ActionItems =
            [
                new DocumentActionItem("Add a canary", null, null, "2026-12-15", "open", null),
                new DocumentActionItem("Raise the pool", "U0BOB", "Bob Hope", null, "open", null),
                new DocumentActionItem("Write a runbook", "U0BOB", "Bob Hope", "2026-12-20", "open", null),
            ],
        };
        Assert.Contains("\"Add a canary\" has no owner", Only(doc, ProblemKind.ActionItemWithoutOwner).Text);
        Assert.Contains("\"Raise the pool\" has no due date", Only(doc, ProblemKind.ActionItemWithoutDue).Text);
    }

    [Fact]
    public void ReopenedIncident_IsReported()
    {
        var problem = Only(Clean() with { Status = "investigating", ResolvedAt = null, ResolvedText = null, Duration = null }, ProblemKind.IncidentNotResolved);
        Assert.Contains("not resolved (status investigating)", problem.Text);
        Assert.Contains("/incident resolve", problem.Fix);
    }

    [Fact]
    public void ModeratorWhoIsAlsoNotetaker_IsReported()
    {
        var doc = Clean() with { Meeting = Clean().Meeting! with { Notetaker = "Jane Doe" } };
        var problem = Only(doc, ProblemKind.SameModeratorAndNotetaker);
        Assert.Contains("Jane Doe is both the moderator and the notetaker", problem.Text);
        Assert.Contains("/postmortem notetaker", problem.Fix);
    }

    [Fact]
    public void MeetingNotHeld_NotScheduled_OrCancelled_IsReported()
    {
        var notHeld = Only(Clean() with { Meeting = Clean().Meeting! with { Held = false } }, ProblemKind.MeetingNotHeld);
        Assert.Contains("(2026-11-28 10:00) has not been held yet", notHeld.Text);

        Assert.Contains("No post-mortem meeting is scheduled", Only(Clean() with { Meeting = null }, ProblemKind.MeetingNotScheduled).Text);
        Assert.Contains("/postmortem schedule", Only(Clean() with { Meeting = null }, ProblemKind.MeetingNotScheduled).Fix);
        Assert.Contains("cancelled", Only(Clean() with { Meeting = Clean().Meeting! with { Cancelled = true, Held = false } }, ProblemKind.MeetingNotScheduled).Text);
    }

    [Theory]
    [InlineData("It was human error on the night", "human error")]
    [InlineData("Whose FAULT was this", "FAULT")]
    [InlineData("We blame the config", "blame")]
    [InlineData("A careless push", "careless")]
    [InlineData("They should  have\nknown better", "should  have\nknown")]
    [InlineData("Negligent review", "Negligent")]
    public void BlamingPhrase_IsQuoted_WithWhereItStands(string text, string phrase)
    {
        var doc = Clean() with { Sections = [.. Clean().Sections, Section(Sections.WentBadly, Item(text, "Bob Hope", "04:20"))] };
        var problem = Only(doc, ProblemKind.BlamingPhrase);
        Assert.Contains("What didn't go so well (2026-11-27 04:20, Bob Hope)", problem.Text);
        Assert.Contains($"(\"{phrase}\")", problem.Text);
    }

    [Theory]
    [InlineData("The disk was faulty")]
    [InlineData("Default settings were used")]
    [InlineData("Blameless review next week")]
    public void BlamingPhrases_MatchWholeWordsOnly(string text)
    {
        var doc = Clean() with { Sections = [.. Clean().Sections, Section(Sections.WentBadly, Item(text))] };
        Assert.True(Readiness.Check(doc, Rules).IsReady, string.Join("\n", Readiness.Check(doc, Rules).Problems));
    }

    [Fact]
    public void ConfiguredPhrases_ReplaceTheDefaults()
    {
        var doc = Clean() with { Sections = [.. Clean().Sections, Section(Sections.WentBadly, Item("A careless oversight by the team"))] };
        var rules = Rules with { BlamingPhrases = ["oversight"] };
        var problem = Assert.Single(Readiness.Check(doc, rules).Problems);
        Assert.Contains("(\"oversight\")", problem.Text);
    }

    [Theory]
    [InlineData("It broke because Bob pushed on a Friday", "Bob")]
    [InlineData("The outage was due to Bob Hope", "Bob Hope")]
    [InlineData("Bob broke the config", "Bob")]
    [InlineData("Jane Doe caused the restart loop", "Jane Doe")]
    [InlineData("Pool exhausted because of @Cat Stevens's change", "@Cat")]
    [InlineData("Bob forgot the flag", "Bob")]
    public void PersonNamedAsTheCause_IsQuoted(string text, string name)
    {
        var doc = Clean() with { Summary = Clean().Summary! with { Edit = new SectionEdit(text, "U0JANE", "Jane Doe", T0) } };
        var problem = Only(doc, ProblemKind.PersonNamedAsCause);
        Assert.Contains("Summary (written by Jane Doe)", problem.Text);
        Assert.Contains($"({name})", problem.Text);
        Assert.Contains(text.Length > 40 ? text[..30] : text, problem.Text);
    }

    [Theory]
    [InlineData("The page failed because Will Smith's change was not behind a flag")] // not one of the document's people
    [InlineData("Bob fixed it because the pool was exhausted")]
    [InlineData("It was slow because will power ran out")]
    public void PeopleMentioned_NotAsTheCause_AreFine(string text)
    {
        var doc = Clean() with { Summary = Clean().Summary! with { Edit = new SectionEdit(text, "U0JANE", "Jane Doe", T0) } };
        Assert.True(Readiness.Check(doc, Rules).IsReady, string.Join("\n", Readiness.Check(doc, Rules).Problems));
    }

    [Fact]
    public void Blame_InAnswers_AndActionItems_IsFoundToo_ButNotInTheTimeline()
    {
        var entry = Item("this is Bob's fault");
        var doc = Clean() with
        {
            Questions = [new DocumentQuestion(1, "Why?", "Jane Doe", "Because Bob ignored the alert", "Cat Stevens", T0)],
            ActionItems = [new DocumentActionItem("Stop careless deploys", "U0BOB", "Bob Hope", "2026-12-15", "open", null)],
            Timeline = [new TimelineDay("2026-11-27", "Friday", [entry])],
        };
        var problems = Readiness.Check(doc, Rules).Problems;
        Assert.Contains(problems, p => p.Kind == ProblemKind.PersonNamedAsCause && p.Text.Contains("the answer to question 1 (by Cat Stevens)"));
        Assert.Contains(problems, p => p.Kind == ProblemKind.BlamingPhrase && p.Text.Contains("an action item (owner Bob Hope)"));
        Assert.Equal(2, problems.Count);
    }

    [Fact]
    public void EveryProblem_AtOnce_IsListed()
    {
        var doc = Clean() with
        {
            Sections = [Section(Sections.Symptoms, Item("Users saw errors, human error"))],
            Questions = [new DocumentQuestion(4, "Why?", null, null, null, null)],
            ActionItems = [new DocumentActionItem("Fix it", null, null, null, "open", null)],
            Meeting = null,
        };
        var kinds = Readiness.Check(doc, Rules).Problems.Select(p => p.Kind).ToHashSet();
        Assert.Equal(
            new[] { ProblemKind.EmptySection, ProblemKind.UnansweredQuestion, ProblemKind.ActionItemWithoutOwner, ProblemKind.ActionItemWithoutDue,
             ProblemKind.MeetingNotScheduled, ProblemKind.BlamingPhrase },
            kinds.Order().ToList());
    }

    [Fact]
    public void LongText_IsQuotedShort_OnOneLine()
    {
        var text = new string('x', 300) + " and then the careless\nchange " + new string('y', 300);
        var doc = Clean() with { Sections = [.. Clean().Sections, Section(Sections.WentBadly, Item(text))] };
        var problem = Only(doc, ProblemKind.BlamingPhrase);
        Assert.DoesNotContain("\n", problem.Text);
        Assert.True(problem.Text.Length < 250, problem.Text);
        Assert.Contains("and then the careless change", problem.Text);
        Assert.Contains("\"…", problem.Text);
    }
}
