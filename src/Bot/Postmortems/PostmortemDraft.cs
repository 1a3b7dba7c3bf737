namespace Bot.Postmortems;

/// <summary>The draft document as filled in from the capture, stored as JSON on the postmortems row and given
/// to the templates as is (an explicit record: templates never see live services).</summary>
public sealed record PostmortemDraft
{
    public required long IncidentId { get; init; }
    public required int Number { get; init; }
    public required string Title { get; init; }
    public string? Severity { get; init; }
    public string? Summary { get; init; }
    public string? ChannelId { get; init; }
    public string? ChannelName { get; init; }
    public required DateTimeOffset OpenedAt { get; init; }
    public required DateTimeOffset ResolvedAt { get; init; }
    public required string Duration { get; init; }
    public required string TimeZone { get; init; }
    public required IReadOnlyList<DraftSection> Sections { get; init; }
    public required IReadOnlyList<DraftPerson> People { get; init; }
    public required IReadOnlyList<DraftLink> Links { get; init; }
    public required IReadOnlyList<string> Screenshots { get; init; }
    public required IReadOnlyList<DraftDay> Timeline { get; init; }

    public string OpenedText => OpenedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture);
    public string ResolvedText => ResolvedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Titles of the sections nothing has been marked for yet.</summary>
    public IReadOnlyList<string> EmptySections => Sections.Where(s => s.Items.Count == 0).Select(s => s.Title).ToList();

    public bool IsEmpty(string key) => Sections.FirstOrDefault(s => s.Key == key) is not { Items.Count: > 0 };
}

public sealed record DraftSection(string Key, string Title, IReadOnlyList<DraftItem> Items);

public sealed record DraftItem(string At, string? UserId, string Author, string Text, string? Permalink);

public sealed record DraftPerson(string UserId, string Name, string? Title, string Roles);

public sealed record DraftLink(string Label, string Url);

public sealed record DraftDay(string Date, IReadOnlyList<DraftItem> Entries);
