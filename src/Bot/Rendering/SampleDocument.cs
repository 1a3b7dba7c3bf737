using Bot.Documents;

namespace Bot.Rendering;

/// <summary>A small document with every part filled (and one of each optional part), which every template is rendered
/// with at startup: a template that names something the model does not have fails there, not at publish time.</summary>
public static class SampleDocument
{
    public static PostmortemDocument Create()
    {
        var at = new DateTimeOffset(2026, 11, 27, 3, 10, 0, TimeSpan.Zero);
        DocumentItem Item(string text) => new(at, "2026-11-27", "03:10", "U1", "Jane Doe", text, "https://example.slack.com/archives/C1/p1") { UtcOffset = "+00:00" };
        var edit = new SectionEdit("Written by hand.", "U1", "Jane Doe", at);
        return new PostmortemDocument
        {
            IncidentId = 1, Number = 1, Title = "Sample", Severity = "sev2", Status = "resolved", ChannelId = "C1", ChannelName = "inc-sample",
            OpenedAt = at, ResolvedAt = at.AddHours(1), Duration = "1 h 0 min", TimeZone = "Europe/London",
            OpenedText = "2026-11-27 03:10", ResolvedText = "2026-11-27 04:10", ImpactStatement = "Sample for 1 h 0 min",
            Phases = [new DocumentPhase("investigating", at, at.AddMinutes(30), "2026-11-27 03:10", 30), new DocumentPhase("identified", at.AddMinutes(30), at.AddHours(1), "2026-11-27 03:40", 30)],
            Summary = new DocumentSection(SectionKeys.Summary, "Summary", [], edit),
            Sections = SectionKeys.Narrative.Select((k, i) => new DocumentSection(k, SectionKeys.Title(k), i % 3 == 2 ? [] : [Item("A line.")], i % 3 == 1 ? edit : null)).ToList(),
            People = [new DocumentPerson("U1", "Jane Doe", "Engineer", ["incident commander"]), new DocumentPerson("U2", "Sam Roe", null, ["participant"])],
            Timeline = [DocumentBuilder.Day("2026-11-27", [Item("A line."), Item("Another.") with { UtcOffset = "+01:00" }])],
            WarRoom = new WarRoom("C1", "inc-sample", [new DocumentLink("Dashboard", "https://example.com/d", "pin")]),
            Screenshots = [new Screenshot("Screenshot", "https://example.slack.com/files/U1/F1/a.png", "Jane Doe", "2026-11-27 03:10")],
            ActionItems = [new DocumentActionItem("Add an alert", "U1", "Jane Doe", "2026-12-04", "open", null) { RaisedBy = "Sam Roe" },
                new DocumentActionItem("Write the runbook", null, null, null, "open", "https://example.slack.com/archives/C1/p2")],
            Questions = [new DocumentQuestion(1, "Why?", "Jane Doe", "Because.", "Sam Roe", at), new DocumentQuestion(2, "How?", null, null, null, null)],
            Meeting = new DocumentMeeting(at.AddDays(1), "2026-11-28 10:00", 45, "Jane Doe", "Sam Roe", ["Jane Doe", "Sam Roe"], false, false),
            Publication = new DocumentPublication(at.AddDays(2), "Jane Doe", true, ["Question 2 is unanswered"]),
            Edits = [new DocumentEdit(SectionKeys.Summary, "Jane Doe", at)],
        };
    }

    /// <summary>The other branch of every "if": an open incident with nothing captured, no meeting, no summary.</summary>
    public static PostmortemDocument Empty()
    {
        var at = new DateTimeOffset(2026, 11, 27, 3, 10, 0, TimeSpan.Zero);
        return new PostmortemDocument
        {
            IncidentId = 2, Number = 2, Title = "Empty", Status = "investigating", OpenedAt = at, TimeZone = "Etc/UTC", OpenedText = "2026-11-27 03:10",
            Phases = [new DocumentPhase("investigating", at, null, "2026-11-27 03:10", 1)],
            Sections = SectionKeys.Narrative.Select(k => new DocumentSection(k, SectionKeys.Title(k), [], null)).ToList(),
            People = [], Timeline = [], WarRoom = new WarRoom(null, null, []), Screenshots = [], ActionItems = [], Questions = [], Edits = [],
        };
    }
}
