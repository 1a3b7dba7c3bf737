using System.Globalization;
using System.Text.RegularExpressions;
using Bot.Documents;
using Bot.Postmortems;
using Bot.Postmortems.Scheduling;
using Bot.Timeline;

namespace Bot.History;

/// <summary>The post-mortem document of a channel's messages in a Slack export, filled the way DocumentBuilder
/// fills it from the live capture: the same section keys and emoji legend, the same phrasing, days and items.
/// What an export cannot say (statuses, roles, hand edits, the meeting) is left empty; the incident runs from the
/// first message to the last (docs/history.md).</summary>
public static partial class ExportDocumentBuilder
{
    /// <summary>Subtypes the live capture keeps as messages (MessageClassifier); joins, topic changes and the rest are not.</summary>
    private static readonly HashSet<string> Kept = ["file_share", "thread_broadcast", "me_message"];

    [GeneratedRegex(@"\d+")]
    private static partial Regex Digits();

    public static bool IsCaptured(ExportMessage m) => m.Subtype is null or "" || Kept.Contains(m.Subtype);

    /// <param name="messages">The channel's messages in the chosen range, any order.</param>
    public static PostmortemDocument Build(ExportChannel channel, IReadOnlyDictionary<string, ExportUser> users, IReadOnlyList<ExportChannel> channels,
        IReadOnlyList<ExportMessage> messages, TimeZoneInfo zone, EmojiLegend legend)
    {
        var rows = messages.Where(IsCaptured).DistinctBy(m => m.Ts).OrderBy(m => m.At).ThenBy(m => m.Ts, StringComparer.Ordinal).ToList();
        if (rows.Count == 0) throw new ArgumentException("A document needs at least one message.", nameof(messages));
        var channelNames = channels.ToDictionary(c => c.Id, c => c.Name, StringComparer.Ordinal);

        string Name(string? id) => id is null ? "someone" : users.TryGetValue(id, out var u) ? u.Display : id;
        string Text(string? slackText) => DocumentText.Plain(slackText, id => users.TryGetValue(id, out var u) ? u.Display : null,
            _ => null, id => channelNames.GetValueOrDefault(id));
        string Stamp(DateTimeOffset t) => TimeZones.ToLocal(t, zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        string Clock(DateTimeOffset t) => TimeZones.ToLocal(t, zone).ToString("HH:mm", CultureInfo.InvariantCulture);
        DocumentItem Item(ExportMessage m, string text) => DocumentBuilder.ItemAt(m.At, zone, m.UserId, Name(m.UserId), text, null);

        var captured = SectionKeys.Narrative.ToDictionary(k => k, _ => new List<DocumentItem>());
        var actionItems = new List<DocumentActionItem>();
        var questions = new List<DocumentQuestion>();
        var replies = rows.Where(m => m.ThreadTs is not null).ToLookup(m => m.ThreadTs!, StringComparer.Ordinal);
        foreach (var m in rows)
        {
            foreach (var section in m.Reactions.Where(r => r.Users.Count > 0).Select(r => legend.SectionFor(r.Name)).OfType<string>().Distinct())
            {
                if (section == Sections.KeyPoints)
                    captured[section].Add(Item(m, DocumentPhrases.KeyPoint(Name(m.UserId), Clock(m.At), Text(m.Text))));
                else if (section == Sections.ActionItems)
                    actionItems.Add(new DocumentActionItem(Text(m.Text), null, null, null, "open", null) { RaisedBy = Name(m.UserId) });
                else if (section == Sections.Questions)
                {
                    // The answer: the first reply in the question's thread by someone other than who asked.
                    var answer = replies[m.Ts].FirstOrDefault(r => r.UserId != m.UserId);
                    questions.Add(new DocumentQuestion(questions.Count + 1, Text(m.Text), Name(m.UserId), answer is null ? null : Text(answer.Text),
                        answer is null ? null : Name(answer.UserId), answer?.At));
                }
                else if (captured.TryGetValue(section, out var list))
                    list.Add(Item(m, Text(m.Text)));
            }
        }

        var openedAt = rows[0].At;
        var resolvedAt = rows[^1].At;
        var duration = Durations.Describe(resolvedAt - openedAt);
        var title = channel.Purpose ?? channel.Topic ?? "#" + channel.Name;
        var posters = rows.Select(m => m.UserId).OfType<string>().Distinct().ToList();
        return new PostmortemDocument
        {
            IncidentId = 0,
            Number = Digits().Match(channel.Name) is { Success: true } d && int.TryParse(d.Value, CultureInfo.InvariantCulture, out var n) ? n : 0,
            Title = title,
            Status = "resolved",
            ChannelId = channel.Id,
            ChannelName = channel.Name,
            OpenedAt = openedAt,
            ResolvedAt = resolvedAt,
            Duration = duration,
            TimeZone = zone.Id,
            OpenedText = Stamp(openedAt),
            ResolvedText = Stamp(resolvedAt),
            ImpactStatement = $"{title} for {duration}",
            Phases = [new DocumentPhase("investigating", openedAt, resolvedAt, Stamp(openedAt), (int)Math.Max(1, Math.Round((resolvedAt - openedAt).TotalMinutes)))],
            Sections = SectionKeys.Narrative.Select(k => new DocumentSection(k, SectionKeys.Title(k), captured[k], null)).ToList(),
            People = posters.Select(id => new DocumentPerson(id, Name(id), users.GetValueOrDefault(id)?.Title, ["participant"])).ToList(),
            Timeline = DocumentBuilder.Days(rows.Select(m => Item(m, TimelineText(m, Text)))),
            WarRoom = new WarRoom(channel.Id, channel.Name, rows.Where(m => m.Pinned)
                .SelectMany(m => PinnedLinks.In(m.Text)).DistinctBy(l => l.Url).Select(l => new DocumentLink(l.Label ?? l.Url, l.Url, "pin")).ToList()),
            Screenshots = rows.SelectMany(m => m.Files.Where(f => f.IsImage && (f.Permalink ?? f.UrlPrivate) is not null)
                    .Select(f => new Screenshot(DocumentPhrases.Caption(Text(m.Text) is { Length: > 0 } t ? t : f.Title ?? f.Name ?? ""),
                        (f.Permalink ?? f.UrlPrivate)!, Name(m.UserId), Stamp(m.At))))
                .DistinctBy(s => s.Url).ToList(),
            ActionItems = actionItems,
            Questions = questions,
            Edits = [],
        };
    }

    /// <summary>A timeline line: a reply marked as the live timeline marks it, a file-only message by its files.</summary>
    private static string TimelineText(ExportMessage m, Func<string?, string> text)
    {
        var line = text(m.Text);
        if (line.Length == 0 && m.Files.Count > 0) line = "shared " + string.Join(", ", m.Files.Select(f => f.Title ?? f.Name ?? "a file"));
        return (m.ThreadTs is null ? "" : "↳ ") + line + (m.Edited ? " (edited)" : "") + (m.Pinned ? " (pinned)" : "");
    }
}
