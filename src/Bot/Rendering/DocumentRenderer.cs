using Bot.Documents;
using Bot.Slack.Blocks;

namespace Bot.Rendering;

/// <summary>The Slack summary: a fallback text and the blocks it is shown with.</summary>
public sealed record SlackSummary(string Text, IReadOnlyList<Block> Blocks);

/// <summary>Renders the document in each format through the parsed templates (postmortem.md, postmortem.html,
/// postmortem.slack). Limits are sized to the document, so a long incident always renders and a runaway template
/// still stops.</summary>
public sealed class DocumentRenderer(TemplateRenderer templates)
{
    public const string MarkdownTemplate = "postmortem.md";
    public const string HtmlTemplate = "postmortem.html";
    public const string SlackTemplate = "postmortem.slack";

    /// <summary>The summary's blocks stop here, leaving room in a message for the blocks a caller adds around them.</summary>
    public const int MaxSummaryBlocks = 40;

    public string Markdown(PostmortemDocument document) => templates.Render(MarkdownTemplate, document, Limits(document));

    public string Html(PostmortemDocument document) => templates.Render(HtmlTemplate, document, Limits(document));

    public SlackSummary Slack(PostmortemDocument document)
    {
        var text = templates.Render(SlackTemplate, document, Limits(document)).Trim();
        var blocks = Paragraphs(text, SlackLimits.SectionText).Select(c => (Block)Block.Section(c)).ToList();
        return new SlackSummary($"Post-mortem of incident #{document.Number}: {Mrkdwn.Escape(document.Title)}",
            BlockLimits.Cap(blocks, MaxSummaryBlocks));
    }

    /// <summary>Renders every template with both <see cref="SampleDocument"/>s, so an operator's template that parses
    /// but names a variable the model does not have stops startup instead of a publish later.</summary>
    public void Check()
    {
        foreach (var sample in new[] { SampleDocument.Create(), SampleDocument.Empty() })
        foreach (var (name, render) in new (string, Action)[]
                 {
                     (MarkdownTemplate, () => Markdown(sample)), (HtmlTemplate, () => Html(sample)), (SlackTemplate, () => Slack(sample)),
                 })
        {
            try
            {
                render();
            }
            catch (Scriban.Syntax.ScriptRuntimeException e)
            {
                throw new Bot.Hosting.StartupException($"Template {templates.Source(name)} fails on a sample document: {TemplateRenderer.Describe(e)}");
            }
        }
    }

    /// <summary>LoopLimit caps the iterations of each nested loop tree (the timeline's days and their entries) and
    /// the internal ones (array.join) inside it: every list of the model twice over, plus room for the template's own.
    /// The output limit follows the text: escaping at most multiplies it by 6 (&amp; → &amp;amp;), plus a line's markup.</summary>
    public static RenderLimits Limits(PostmortemDocument d)
    {
        long count = 0, chars = d.Title.Length + (d.Summary?.Edit?.Text.Length ?? 0);
        void Items(IEnumerable<DocumentItem> items)
        {
            foreach (var i in items)
            {
                count++;
                chars += i.Text.Length + i.Author.Length + (i.Permalink?.Length ?? 0);
            }
        }
        foreach (var day in d.Timeline)
        {
            count++;
            Items(day.Entries);
        }
        foreach (var s in d.Sections)
        {
            count++;
            chars += s.Edit?.Text.Length ?? 0;
            Items(s.Items);
        }
        foreach (var p in d.People) { count += 1 + p.Roles.Count; chars += p.Display.Length + 20 * p.Roles.Count; }
        foreach (var q in d.Questions) { count++; chars += q.Text.Length + (q.Answer?.Length ?? 0) + 60; }
        foreach (var a in d.ActionItems) { count++; chars += a.Text.Length + 80; }
        foreach (var s in d.Screenshots) { count++; chars += s.Title.Length + s.Url.Length + 60; }
        foreach (var l in d.WarRoom.Links) { count++; chars += l.Label.Length + l.Url.Length; }
        count += d.Edits.Count + d.Phases.Count + (d.Meeting?.Attendees.Count ?? 0);
        chars += 60 * (d.Edits.Count + d.Phases.Count + (d.Meeting?.Attendees.Count ?? 0));
        var loops = 1_000 + 2 * count;
        var output = 256 * 1024 + 6 * chars + 200 * count;
        return new RenderLimits((int)Math.Min(loops, int.MaxValue), (int)Math.Min(output, int.MaxValue / 2));
    }

    /// <summary>Blocks of at most <paramref name="size"/> characters, split at blank lines (the template's paragraphs),
    /// then at line ends; one line longer than a block is cut with a visible "…".</summary>
    private static IEnumerable<string> Paragraphs(string text, int size)
    {
        var current = new System.Text.StringBuilder();
        foreach (var paragraph in text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (current.Length > 0 && current.Length + 2 + paragraph.Length <= size)
            {
                current.Append("\n\n").Append(paragraph);
                continue;
            }
            if (current.Length > 0) yield return current.ToString();
            current.Clear();
            foreach (var raw in paragraph.Split('\n'))
            {
                var line = SlackLimits.Truncate(raw, size);
                if (current.Length > 0 && current.Length + 1 + line.Length > size)
                {
                    yield return current.ToString();
                    current.Clear();
                }
                if (current.Length > 0) current.Append('\n');
                current.Append(line);
            }
        }
        if (current.Length > 0) yield return current.ToString();
    }
}
