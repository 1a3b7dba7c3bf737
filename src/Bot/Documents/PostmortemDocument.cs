namespace Bot.Documents;

/// <summary>The post-mortem document: everything every template renders, built by <c>DocumentBuilder</c> from the
/// capture, the human edits, the questions, the action items and the meeting. A plain record: templates never see
/// live services.</summary>
/// <remarks>Text in the model is plain text with Slack's markup already resolved (<c>&lt;@U1&gt;</c> → "@Jane Doe",
/// <c>&lt;!subteam^S1&gt;</c> → "@oncall", <c>&lt;#C1|ops&gt;</c> → "#ops", <c>&amp;amp;</c> → "&amp;") and NOT escaped
/// for any format: each template escapes for its own output (HTML, mrkdwn, Markdown).</remarks>
public sealed record PostmortemDocument
{
    public required long IncidentId { get; init; }
    public required int Number { get; init; }
    public required string Title { get; init; }
    public string? Severity { get; init; }
    public required string Status { get; init; }
    public string? ChannelId { get; init; }
    public string? ChannelName { get; init; }
    public required DateTimeOffset OpenedAt { get; init; }
    public DateTimeOffset? ResolvedAt { get; init; }
    /// <summary>Resolved − opened, "2 h 14 min"; null while open.</summary>
    public string? Duration { get; init; }
    /// <summary>The IANA zone every local time in the document is given in.</summary>
    public required string TimeZone { get; init; }
    /// <summary>Opened and resolved as local times in <see cref="TimeZone"/>, "2026-11-27 03:10".</summary>
    public required string OpenedText { get; init; }
    public string? ResolvedText { get; init; }

    /// <summary>The summary: the human edit when there is one, else the resolve summary.</summary>
    public DocumentSection? Summary { get; init; }
    /// <summary>The narrative sections in the document's order (see <see cref="SectionKeys.Narrative"/>).</summary>
    public required IReadOnlyList<DocumentSection> Sections { get; init; }
    public required IReadOnlyList<DocumentPerson> People { get; init; }
    public required IReadOnlyList<TimelineDay> Timeline { get; init; }
    public required WarRoom WarRoom { get; init; }
    public required IReadOnlyList<Screenshot> Screenshots { get; init; }
    public required IReadOnlyList<DocumentActionItem> ActionItems { get; init; }
    /// <summary>When the last of the action items was settled (done or dropped), while every one is; null while one is
    /// open or there are none.</summary>
    public DateTimeOffset? ActionItemsSettledAt { get; init; }
    /// <summary><see cref="ActionItemsSettledAt"/> as a local day in <see cref="TimeZone"/>, "2026-12-10".</summary>
    public string? ActionItemsSettledOn { get; init; }
    public bool AllActionItemsSettled => ActionItemsSettledAt is not null;
    public required IReadOnlyList<DocumentQuestion> Questions { get; init; }
    public DocumentMeeting? Meeting { get; init; }
    public DocumentPublication? Publication { get; init; }
    /// <summary>Who changed what by hand, oldest first.</summary>
    public required IReadOnlyList<DocumentEdit> Edits { get; init; }

    /// <summary>The computed impact line: "Checkout is failing for 2 h 14 min" (the title and the duration).</summary>
    public string? ImpactStatement { get; init; }
    /// <summary>The incident's phases in order (opened, each status, resolved) for the phase diagram.</summary>
    public IReadOnlyList<DocumentPhase> Phases { get; init; } = [];

    public DocumentSection? Section(string key) => Sections.FirstOrDefault(s => s.Key == key) ?? (key == SectionKeys.Summary ? Summary : null);
}

/// <summary>A section: what was captured for it, and a human's text that replaces the captured items once written
/// (a later capture never overwrites it).</summary>
public sealed record DocumentSection(string Key, string Title, IReadOnlyList<DocumentItem> Items, SectionEdit? Edit)
{
    public bool IsEmpty => Edit is null ? Items.Count == 0 : string.IsNullOrWhiteSpace(Edit.Text);
}

public sealed record SectionEdit(string Text, string EditedById, string EditedBy, DateTimeOffset EditedAt);

/// <summary>A captured line: when (local, in the document's zone), who, what.</summary>
public sealed record DocumentItem(DateTimeOffset At, string Date, string Time, string? UserId, string Author, string Text, string? Permalink)
{
    /// <summary>The zone's offset at that instant, "+01:00": shown on days when the clocks change, where a local time
    /// alone would be ambiguous.</summary>
    public string? UtcOffset { get; init; }
}

/// <summary>"Real Name (Profile title)" with the roles held in the incident.</summary>
public sealed record DocumentPerson(string UserId, string Name, string? ProfileTitle, IReadOnlyList<string> Roles)
{
    public string Display => string.IsNullOrWhiteSpace(ProfileTitle) ? Name : $"{Name} ({ProfileTitle})";
}

/// <summary>One day of the timeline: "2026-11-27 (Friday)".</summary>
public sealed record TimelineDay(string Date, string Weekday, IReadOnlyList<DocumentItem> Entries)
{
    public string Heading => $"{Date} ({Weekday})";

    /// <summary>"UTC+01:00 → UTC+00:00" when the zone's offset changes during this day (daylight saving), else null.</summary>
    public string? ClockChange { get; init; }
}

public sealed record WarRoom(string? ChannelId, string? ChannelName, IReadOnlyList<DocumentLink> Links);

/// <summary>source: "pin" or "command" (/incident link).</summary>
public sealed record DocumentLink(string Label, string Url, string Source);

public sealed record Screenshot(string Title, string Url, string? Author, string? Time);

public sealed record DocumentActionItem(string Text, string? OwnerId, string? Owner, string? Due, string Status, string? Permalink)
{
    /// <summary>Who raised it (the author of the :memo: message).</summary>
    public string? RaisedBy { get; init; }
}

/// <summary>One phase of the incident: a status from when it was set until the next one (End null: still going; Minutes
/// then counts up to when the document was built).</summary>
public sealed record DocumentPhase(string Name, DateTimeOffset Start, DateTimeOffset? End, string StartText, int Minutes);

public sealed record DocumentQuestion(int Number, string Text, string? AskedBy, string? Answer, string? AnsweredBy, DateTimeOffset? AnsweredAt)
{
    public bool IsAnswered => !string.IsNullOrWhiteSpace(Answer);
}

public sealed record DocumentMeeting(
    DateTimeOffset? Start, string? StartText, int? Minutes, string? Moderator, string? Notetaker,
    IReadOnlyList<string> Attendees, bool Cancelled, bool Held);

public sealed record DocumentPublication(DateTimeOffset At, string By, bool Forced, IReadOnlyList<string> ProblemsOverridden);

public sealed record DocumentEdit(string Section, string By, DateTimeOffset At);
