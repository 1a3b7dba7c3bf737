using System.Text;
using Bot.Slack.Blocks;

namespace Bot.Rendering;

/// <summary>Escaping for the templates (user text is data; each format escapes it its own way). Imported into every
/// render as md_escape, md_block, md_url, html_url, mrkdwn_escape, mrkdwn_quote, mermaid_text; HTML text uses
/// Scriban's own html.escape.</summary>
public static class TemplateFunctions
{
    /// <summary>Markdown inline text (a list item, a table cell, a heading): every character that could start markup or
    /// end a cell is backslash-escaped (CommonMark allows it before any ASCII punctuation), so `code`, *emphasis*,
    /// [links](x), &lt;html&gt;, | cells |, # headings and &amp;entities; stay literal. Newlines become spaces: one item, one line.</summary>
    public static string MdEscape(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var sb = new StringBuilder(text.Length + 8);
        AppendInline(sb, text, 0, text.Length, lineStart: true);
        return sb.ToString();
    }

    /// <summary>Markdown for a paragraph someone wrote (a section edit): lines are kept (as hard breaks), each escaped
    /// as inline text, so a line starting with "# ", "- ", "&gt; " or "1. " cannot become a heading, list or quote.</summary>
    public static string MdBlock(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var sb = new StringBuilder(text.Length + 16);
        var lines = text.Replace("\r", "", StringComparison.Ordinal).Split('\n');
        var blank = false;
        foreach (var raw in lines)
        {
            var line = raw.TrimEnd();
            if (line.Length == 0)
            {
                blank = sb.Length > 0;
                continue;
            }
            if (sb.Length > 0) sb.Append(blank ? "\n\n" : "  \n");
            blank = false;
            AppendInline(sb, line, 0, line.Length, lineStart: true);
        }
        return sb.ToString();
    }

    private static void AppendInline(StringBuilder sb, string text, int start, int end, bool lineStart)
    {
        var i = start;
        if (lineStart)
        {
            // At the start of a line "- ", "+ ", "= " and "1. " would make a list or a heading underline.
            if (i < end && text[i] is '-' or '+' or '=') { sb.Append('\\').Append(text[i]); i++; }
            else
            {
                var j = i;
                while (j < end && char.IsAsciiDigit(text[j])) j++;
                if (j > i && j < end && text[j] is '.' or ')') { sb.Append(text, i, j - i).Append('\\').Append(text[j]); i = j + 1; }
            }
        }
        for (; i < end; i++)
        {
            var c = text[i];
            if (c is '\r') continue;
            if (c is '\n')
            {
                sb.Append(' ');
                continue;
            }
            if (c is '\\' or '`' or '*' or '_' or '[' or ']' or '|' or '<' or '>' or '~' or '#')
                sb.Append('\\');
            else if (c == '&' && i + 1 < end && (char.IsAsciiLetterOrDigit(text[i + 1]) || text[i + 1] == '#'))
                sb.Append('\\'); // "&amp;" would be read as an entity
            sb.Append(c);
        }
    }

    /// <summary>A URL for a Markdown link target: only http(s) and mailto, with the characters that would end the
    /// target percent-encoded; anything else becomes "#" (no javascript: links).</summary>
    public static string MdUrl(string? url) => SafeUrl(url)?.Replace("(", "%28", StringComparison.Ordinal).Replace(")", "%29", StringComparison.Ordinal)
        .Replace(" ", "%20", StringComparison.Ordinal).Replace("<", "%3C", StringComparison.Ordinal).Replace(">", "%3E", StringComparison.Ordinal) ?? "#";

    /// <summary>A URL for an HTML href: http(s) and mailto only, attribute-escaped; anything else "#".</summary>
    public static string HtmlUrl(string? url) => SafeUrl(url) is { } u ? System.Net.WebUtility.HtmlEncode(u) : "#";

    private static string? SafeUrl(string? url) =>
        url is not null && Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" or "mailto" ? url.Trim() : null;

    public static string MrkdwnEscape(string? text) => Mrkdwn.Escape(text);

    /// <summary>mrkdwn block quote: every line starts with "&gt;", escaped.</summary>
    public static string MrkdwnQuote(string? text) =>
        string.IsNullOrWhiteSpace(text) ? "" : string.Join("\n", Mrkdwn.Escape(text.Trim()).Replace("\r", "", StringComparison.Ordinal).Split('\n').Select(l => ">" + l));

    /// <summary>Text for a Mermaid label: only letters, digits, spaces and a few safe marks survive, so nothing can
    /// end the line, start a directive (%%) or break the diagram's syntax (: ; # { } etc.).</summary>
    public static string MermaidText(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "-";
        var sb = new StringBuilder(text.Length);
        foreach (var c in text)
            sb.Append(char.IsLetterOrDigit(c) || c is ' ' or '-' or '_' or '.' or '/' or '(' or ')' ? c : ' ');
        var s = sb.ToString().Trim();
        return s.Length == 0 ? "-" : s;
    }
}
