using Bot.Documents;
using Bot.Slack.Blocks;

namespace Bot.Rendering;

/// <summary>The Slack summary: a fallback text and the blocks it is shown with.</summary>
public sealed record SlackSummary(string Text, IReadOnlyList<Block> Blocks);

/// <summary>Renders the document in each format through the parsed templates (document.md, document.html,
/// document.slack). Loop limits are sized to the document so a long incident always renders.</summary>
public sealed class DocumentRenderer(TemplateRenderer templates)
{
    public string Markdown(PostmortemDocument document) => templates.Render("document.md", document, LoopLimit(document));

    public string Html(PostmortemDocument document) => templates.Render("document.html", document, LoopLimit(document));

    public SlackSummary Slack(PostmortemDocument document)
    {
        var text = templates.Render("document.slack", document, LoopLimit(document)).Trim();
        var blocks = Chunks(text, 2900).Select(c => (Block)Block.Section(c)).Take(40).ToList();
        return new SlackSummary($"Post-mortem of incident #{document.Number}: {Mrkdwn.Escape(document.Title)}", blocks);
    }

    /// <summary>Scriban counts every loop iteration of a render against LoopLimit: allow every item a few times over.</summary>
    private static int LoopLimit(PostmortemDocument d) =>
        1000 + 4 * (d.Timeline.Sum(day => day.Entries.Count) + d.Timeline.Count + d.Sections.Sum(s => s.Items.Count) +
                    d.People.Count + d.Questions.Count + d.ActionItems.Count + d.Screenshots.Count + d.WarRoom.Links.Count + d.Edits.Count);

    private static IEnumerable<string> Chunks(string text, int size)
    {
        var lines = text.Split('\n');
        var current = new System.Text.StringBuilder();
        foreach (var line in lines)
        {
            var l = line.Length > size ? line[..(size - 1)] + "…" : line;
            if (current.Length + l.Length + 1 > size)
            {
                yield return current.ToString();
                current.Clear();
            }
            if (current.Length > 0) current.Append('\n');
            current.Append(l);
        }
        if (current.Length > 0) yield return current.ToString();
    }
}
