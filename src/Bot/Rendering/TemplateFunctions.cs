using Bot.Slack.Blocks;

namespace Bot.Rendering;

/// <summary>Escaping for the templates (user text is data; each format escapes it its own way). Imported into every
/// render as md_escape, mrkdwn_escape; HTML uses Scriban's own html.escape.</summary>
public static class TemplateFunctions
{
    /// <summary>Markdown: characters that would start markup or break a table cell are backslash-escaped, newlines
    /// become spaces (one item per line).</summary>
    public static string MdEscape(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var sb = new System.Text.StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            if (c is '\r') continue;
            if (c is '\n') { sb.Append(' '); continue; }
            if (c is '\\' or '`' or '*' or '_' or '[' or ']' or '|' or '#' or '<' or '>' or '~') sb.Append('\\');
            sb.Append(c);
        }
        return sb.ToString();
    }

    public static string MrkdwnEscape(string? text) => Mrkdwn.Escape(text);
}
