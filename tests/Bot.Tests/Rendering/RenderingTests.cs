using Bot.Documents;
using Bot.Hosting;
using Bot.Rendering;
using Bot.Slack.Blocks;

namespace Bot.Tests.Rendering;

/// <summary>Escaping, limits sized to the document, and the operator's template overrides.</summary>
public sealed class RenderingTests
{
    private static readonly DocumentRenderer Renderer = new(new TemplateRenderer());

    [Theory]
    [InlineData("a | b", @"a \| b")]
    [InlineData("# heading", @"\# heading")]
    [InlineData("- item", @"\- item")]
    [InlineData("1. first", @"1\. first")]
    [InlineData("`code` *b* _i_ [l](u) <b>", @"\`code\` \*b\* \_i\_ \[l\](u) \<b\>")]
    [InlineData("R&D &amp; co", @"R\&D \&amp; co")]
    [InlineData("a & b", "a & b")]
    [InlineData("two\nlines", "two lines")]
    public void MdEscape_KeepsUserTextLiteral(string text, string expected) => Assert.Equal(expected, TemplateFunctions.MdEscape(text));

    [Fact]
    public void MdBlock_KeepsLines_AndDefusesLineStarts() =>
        Assert.Equal("\\# a  \n\\> b\n\n2\\) c", TemplateFunctions.MdBlock("# a\n> b\n\n2) c"));

    [Theory]
    [InlineData("javascript:alert(1)", "#")]
    [InlineData("https://x.example/a b(c)", "https://x.example/a%20b%28c%29")]
    [InlineData("mailto:a@b.example", "mailto:a@b.example")]
    public void MdUrl_OnlyWebAndMail(string url, string expected) => Assert.Equal(expected, TemplateFunctions.MdUrl(url));

    [Fact]
    public void HtmlUrl_RefusesScripts_AndEscapesQuotes()
    {
        Assert.Equal("#", TemplateFunctions.HtmlUrl("javascript:alert(1)"));
        Assert.Equal("https://x.example/?a=1&amp;b=&quot;2&quot;", TemplateFunctions.HtmlUrl("https://x.example/?a=1&b=\"2\""));
    }

    [Fact]
    public void MermaidText_CannotBreakTheDiagram() => Assert.Equal("a  b   c", TemplateFunctions.MermaidText("a: b;%%c"));

    [Fact]
    public void DocumentText_ResolvesSlackMarkup_AndDecodesOnlySlacksEntities()
    {
        var text = DocumentText.Plain("<@U1> <@U2|old> <!subteam^S1|@x> <#C1> <#C2|ops> <!here> <https://a.example|A> <mailto:b@c.example> &amp;lt; &lt;b&gt; &amp;amp; &copy;",
            id => id == "U1" ? "Jane Doe" : null, id => id == "S1" ? "oncall" : null, id => id == "C1" ? "inc-1" : null);
        Assert.Equal("@Jane Doe @U2 @oncall #inc-1 #ops @here A (https://a.example) mailto:b@c.example &lt; <b> &amp; &copy;", text);
    }

    [Fact]
    public void TenThousandEntries_RenderInEveryFormat_WithNothingCut()
    {
        var document = Big(10_000);

        var md = Renderer.Markdown(document);
        var html = Renderer.Html(document);
        var slack = Renderer.Slack(document);

        Assert.Contains("- 23:59 Person 9999: entry 9999 with some text", md);
        var timeline = md[md.IndexOf("## Timeline", StringComparison.Ordinal)..md.IndexOf("## Additional details", StringComparison.Ordinal)];
        Assert.Equal(10_000, timeline.Split('\n').Count(l => l.StartsWith("- ", StringComparison.Ordinal) && l.Contains(": entry ", StringComparison.Ordinal)));
        Assert.Contains("entry 9999 with some text</li>", html);
        Assert.EndsWith("</html>\n", html);
        Assert.Contains("10000 entries", string.Join("\n", slack.Blocks.OfType<SectionBlock>().Select(b => b.Text!.Text)));
    }

    [Fact]
    public void SlackSummary_StaysWithinBlockKitLimits()
    {
        var doc = Big(50) with
        {
            Sections = SectionKeys.Narrative.Select(k => new DocumentSection(k, SectionKeys.Title(k), [], null)).ToList(),
            Summary = new DocumentSection(SectionKeys.Summary, "Summary", [], new SectionEdit(string.Concat(Enumerable.Repeat("long <!channel> words ", 800)), "U1", "A", DateTimeOffset.UnixEpoch)),
        };
        var slack = Renderer.Slack(doc);

        Assert.InRange(slack.Blocks.Count, 1, DocumentRenderer.MaxSummaryBlocks);
        Assert.All(slack.Blocks.OfType<SectionBlock>(), b => Assert.InRange(b.Text!.Text.Length, 1, SlackLimits.SectionText));
        var all = string.Join("\n", slack.Blocks.OfType<SectionBlock>().Select(b => b.Text!.Text));
        Assert.DoesNotContain("<!channel>", all);
        Assert.Contains("&lt;!channel&gt;", all);
    }

    [Fact]
    public void Override_ReplacesTheEmbeddedTemplateByName()
    {
        var dir = Folder(("postmortem.md.sbn", "Custom: {{ title | md_escape }} ({{ timeline.size }} days)"));
        var renderer = new DocumentRenderer(new TemplateRenderer(dir));
        renderer.Check();

        Assert.Equal("Custom: Checkout is failing (1 days)", renderer.Markdown(DocumentFixtures.Short()));
        Assert.StartsWith("<!DOCTYPE html>", renderer.Html(DocumentFixtures.Short())); // the others stay embedded
    }

    [Fact]
    public void Override_ThatDoesNotParse_IsAStartupError_WithFileAndLine()
    {
        var dir = Folder(("postmortem.html.sbn", "<h1>{{ title }}</h1>\n<p>\n{{ for x in sections }}\n{{ x.title \n"));

        var e = Assert.Throws<StartupException>(() => new TemplateRenderer(dir));

        Assert.Contains(Path.Combine(dir, "postmortem.html.sbn"), e.Message);
        Assert.Matches(@"line \d+, column \d+: ", e.Message);
        Assert.DoesNotContain("\n", e.Message);
    }

    [Fact]
    public void Override_NamingAMissingVariable_FailsTheStartupCheck_WithItsLine()
    {
        var dir = Folder(("postmortem.slack.sbn", "ok\n{{ titel }}"));
        var renderer = new DocumentRenderer(new TemplateRenderer(dir));

        var e = Assert.Throws<StartupException>(renderer.Check);

        Assert.Contains("postmortem.slack.sbn, line 2, column 4", e.Message);
        Assert.Contains("titel", e.Message);
    }

    [Fact]
    public void Override_WithAnUnknownName_OrAMissingFolder_IsAStartupError()
    {
        Assert.Contains("postmortem.md.sbn", Assert.Throws<StartupException>(() => new TemplateRenderer(Folder(("postmortm.md.sbn", "x")))).Message);
        Assert.Contains("not a folder", Assert.Throws<StartupException>(() => new TemplateRenderer("/nonexistent/templates")).Message);
    }

    [Fact]
    public void UserText_IsNeverEvaluated()
    {
        var doc = DocumentFixtures.Injection();
        foreach (var output in new[] { Renderer.Markdown(doc), Renderer.Html(doc), GoldenTests.SlackText(Renderer.Slack(doc)) })
        {
            Assert.Contains("{{ 1 + 1 }}", output);
            Assert.DoesNotContain("<script>", output);
            Assert.DoesNotContain("<!channel>", output);
            Assert.DoesNotContain("javascript:", output.Replace("javascript:alert(1))", "", StringComparison.Ordinal).Replace("\\](javascript", "", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void SlackSummary_HasNoRawAngleBrackets_SoNothingIsReadAsAMentionOrLink()
    {
        foreach (var (name, document) in DocumentFixtures.All)
            foreach (var block in Renderer.Slack(document).Blocks.OfType<SectionBlock>())
            {
                // ">" only as the quote marker at the start of a line.
                Assert.False(block.Text!.Text.Contains('<'), $"{name}: {block.Text.Text}");
                Assert.All(block.Text.Text.Split('\n'), line => Assert.False(line.Length > 1 && line.IndexOf('>', 1) >= 0, $"{name}: {line}"));
            }
    }

    /// <summary>A document with <paramref name="entries"/> timeline entries over one day, and a few in each list.</summary>
    public static PostmortemDocument Big(int entries)
    {
        var zone = TimeZoneInfo.Utc;
        var start = new DateTimeOffset(2026, 11, 27, 0, 0, 0, TimeSpan.Zero);
        var step = TimeSpan.FromDays(1) / entries;
        var items = Enumerable.Range(0, entries)
            .Select(i => DocumentBuilder.ItemAt(start + step * i, zone, $"U{i % 40}", $"Person {i}", $"entry {i} with some text & a <tag>", null) with { })
            .Select((item, i) => i == entries - 1 ? item with { Time = "23:59", Author = $"Person {i}", Text = $"entry {i} with some text" } : item)
            .ToList();
        return DocumentFixtures.Short() with
        {
            Timeline = DocumentBuilder.Days(items),
            Sections = SectionKeys.Narrative.Select(k => new DocumentSection(k, SectionKeys.Title(k), items.Take(200).ToList(), null)).ToList(),
        };
    }

    private static string Folder(params (string Name, string Text)[] files)
    {
        var dir = Directory.CreateTempSubdirectory("bot-templates-").FullName;
        foreach (var (name, text) in files) File.WriteAllText(Path.Combine(dir, name), text);
        return dir;
    }
}
