using System.Text.RegularExpressions;

namespace Bot.Documents;

/// <summary>Blaming language in what the document says: the configured phrases (whole words, any case) and a person
/// named as the cause ("because Bob ...", "Bob broke ...", "due to @Jane Doe"), each quoted with where it stands.</summary>
/// <remarks>Checked: the summary, the narrative sections (the hand-written text, or each captured line), the questions
/// and answers, the action items. Not the timeline: it is the record of what was said during the incident, which
/// nobody can or should rewrite; what the document concludes is where blame would do harm.</remarks>
public static class BlamelessCheck
{
    private const string WordStart = @"(?<![\p{L}\p{N}_])";
    private const string WordEnd = @"(?![\p{L}\p{N}_])";
    private const int Context = 40;

    private const string PhraseFix = "Say what the system allowed and why it made sense at the time, not who is to blame.";
    private const string PersonFix = "Describe what happened and what allowed it, without naming a person as the cause.";

    /// <summary>A place in the document and its text.</summary>
    public sealed record Place(string Where, string Text);

    public static IReadOnlyList<ReadinessProblem> Find(PostmortemDocument doc, IReadOnlyList<string> phrases)
    {
        var phraseRegex = Phrases(phrases);
        var personRegex = PersonAsCause(doc);
        var problems = new List<ReadinessProblem>();
        foreach (var place in Places(doc))
        {
            if (phraseRegex is not null)
                foreach (Match m in phraseRegex.Matches(place.Text))
                    problems.Add(new(ProblemKind.BlamingPhrase,
                        $"Blaming language in {place.Where}: \"{Excerpt(place.Text, m)}\" (\"{m.Value}\").", PhraseFix));
            foreach (Match m in personRegex.Matches(place.Text))
                problems.Add(new(ProblemKind.PersonNamedAsCause,
                    $"A person is named as the cause in {place.Where}: \"{Excerpt(place.Text, m)}\" ({m.Groups["name"].Value}).", PersonFix));
        }
        return problems;
    }

    public static IEnumerable<Place> Places(PostmortemDocument doc)
    {
        IEnumerable<DocumentSection> sections = doc.Summary is null ? doc.Sections : [doc.Summary, .. doc.Sections];
        foreach (var section in sections)
        {
            if (section.Edit is { } edit)
            {
                yield return new($"{section.Title} (written by {edit.EditedBy})", edit.Text);
                continue;
            }
            foreach (var item in section.Items)
                yield return new($"{section.Title} ({item.Date} {item.Time}, {item.Author})", item.Text);
        }
        foreach (var q in doc.Questions)
        {
            yield return new($"question {q.Number}{(q.AskedBy is null ? "" : $" (asked by {q.AskedBy})")}", q.Text);
            if (q.IsAnswered) yield return new($"the answer to question {q.Number}{(q.AnsweredBy is null ? "" : $" (by {q.AnsweredBy})")}", q.Answer!);
        }
        foreach (var item in doc.ActionItems)
            yield return new($"an action item{(item.Owner is null ? "" : $" (owner {item.Owner})")}", item.Text);
    }

    /// <summary>Each phrase as whole words, any case, any run of spaces between its words; longest first, so
    /// "should have known" is reported as itself.</summary>
    private static Regex? Phrases(IReadOnlyList<string> phrases)
    {
        var parts = phrases.Select(p => p.Trim()).Where(p => p.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase)
            .OrderByDescending(p => p.Length)
            .Select(p => string.Join(@"\s+", p.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Select(Regex.Escape)))
            .ToList();
        return parts.Count == 0
            ? null
            : new Regex($"{WordStart}(?:{string.Join('|', parts)}){WordEnd}", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
    }

    /// <summary>"because (of) NAME", "due to NAME", "NAME caused/broke/forgot/...", where NAME is one of the document's
    /// people (full or first name, as written: names are capitalised, so "because will" is not Will) or any @mention.</summary>
    private static Regex PersonAsCause(PostmortemDocument doc)
    {
        var names = doc.People
            .SelectMany(p => new[] { p.Name.Trim(), p.Name.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "" })
            .Where(n => n.Length >= 2)
            .Distinct(StringComparer.Ordinal)
            .OrderByDescending(n => n.Length)
            .Select(n => string.Join(@"\s+", n.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(Regex.Escape)))
            .ToList();
        var known = names.Count == 0 ? "" : $"@?(?:{string.Join('|', names)}){WordEnd}|";
        var name = $@"(?<name>{known}@[\p{{L}}\p{{N}}._-]+|<@[UW][A-Z0-9]+(?:\|[^>]*)?>)";
        var cause = @"(?i:because(?:\s+of)?|due\s+to|caused\s+by|blame\s+on)";
        var verb = @"(?i:caused|broke|forgot|messed\s+up|screwed\s+up|failed\s+to|neglected|ignored)";
        return new Regex($@"{WordStart}{cause}\s+{name}|{WordStart}{name}\s+{verb}{WordEnd}", RegexOptions.CultureInvariant);
    }

    /// <summary>The match with some words either side, on one line.</summary>
    private static string Excerpt(string text, Match m)
    {
        var start = Math.Max(0, m.Index - Context);
        var end = Math.Min(text.Length, m.Index + m.Length + Context);
        while (start > 0 && !char.IsWhiteSpace(text[start - 1]) && m.Index - start < Context + 15) start--;
        while (end < text.Length && !char.IsWhiteSpace(text[end]) && end - (m.Index + m.Length) < Context + 15) end++;
        var excerpt = string.Join(' ', text[start..end].Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries)).Trim();
        return (start > 0 ? "…" : "") + excerpt + (end < text.Length ? "…" : "");
    }
}
