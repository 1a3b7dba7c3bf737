using System.Text;
using Bot.Slack.Blocks;

namespace Bot.Documents;

/// <summary>A section as editable text, and that text in pieces that fit Slack's text boxes (3,000 characters
/// each) and join back into exactly the same text. Pure.</summary>
public static class SectionText
{
    /// <summary>What the edit modal starts with: the human edit if there is one, else the captured items as lines
    /// ("03:10 Jane Doe: the db is slow"; with the date when they span several days).</summary>
    public static string Current(DocumentSection? section)
    {
        if (section is null) return "";
        if (section.Edit is { } edit) return edit.Text;
        var severalDays = section.Items.Select(i => i.Date).Distinct().Count() > 1;
        return string.Join("\n", section.Items.Select(i => $"{(severalDays ? i.Date + " " : "")}{i.Time} {i.Author}: {i.Text}"));
    }

    /// <summary>One piece, and what joins it to the next: "\n" when it was cut at a line end (the line end is not in
    /// either piece), "" when a single line was longer than a box.</summary>
    public sealed record Piece(string Text, string Joiner);

    public static IReadOnlyList<Piece> Split(string text, int max = SlackLimits.PlainTextInputMaxLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 2);
        var pieces = new List<Piece>();
        var at = 0;
        while (text.Length - at > max)
        {
            var newline = text.LastIndexOf('\n', at + max, max + 1);
            if (newline >= at)
            {
                pieces.Add(new Piece(text[at..newline], "\n"));
                at = newline + 1;
                continue;
            }
            var cut = at + max;
            if (char.IsHighSurrogate(text[cut - 1])) cut--;
            pieces.Add(new Piece(text[at..cut], ""));
            at = cut;
        }
        pieces.Add(new Piece(text[at..], "\n"));
        return pieces;
    }

    /// <summary>The boxes' values back into one text: each box, then its joiner, up to the last box. Exactly the
    /// inverse of <see cref="Split"/> (an empty piece, say after a blank line at a cut, keeps its place); a box the
    /// person cleared leaves at most a blank line, and trailing ones are trimmed by the caller.</summary>
    public static string Join(IReadOnlyList<(string? Value, string Joiner)> boxes)
    {
        var text = new StringBuilder();
        for (var i = 0; i < boxes.Count; i++)
        {
            text.Append(boxes[i].Value);
            if (i < boxes.Count - 1) text.Append(boxes[i].Joiner);
        }
        return text.ToString();
    }

    /// <summary>Joiners as private metadata: 'n' for a line end, 'c' for a cut inside a line.</summary>
    public static string EncodeJoiners(IEnumerable<string> joiners) => string.Concat(joiners.Select(j => j == "\n" ? 'n' : 'c'));

    public static IReadOnlyList<string> DecodeJoiners(string code) => code.Select(c => c == 'c' ? "" : "\n").ToList();
}
