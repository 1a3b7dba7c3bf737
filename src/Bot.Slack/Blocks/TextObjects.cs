using System.Text.Json.Serialization;

namespace Bot.Slack.Blocks;

/// <summary>A composition text object: plain_text or mrkdwn.</summary>
[JsonConverter(typeof(RuntimeTypeConverter<TextObject>))]
public abstract record TextObject
{
    protected TextObject(string text) => Text = text ?? "";

    public abstract string Type { get; }
    public string Text { get; init; }

    /// <summary>The same text object cut to max characters with a visible "…".</summary>
    public TextObject Truncate(int max) => Text.Length <= max ? this : this with { Text = SlackLimits.Truncate(Text, max) };

    public static PlainText Plain(string text) => new(text);
    public static MarkdownText Markdown(string text) => new(text);
}

/// <summary>Text shown as written. Emoji codes such as :tada: render unless Emoji is false.</summary>
public sealed record PlainText(string Text) : TextObject(Text)
{
    public override string Type => "plain_text";
    public bool? Emoji { get; init; }

    public new PlainText Truncate(int max) => (PlainText)base.Truncate(max);

    public static implicit operator PlainText(string text) => new(text);
}

/// <summary>mrkdwn text. Put user text through <see cref="Mrkdwn.Escape"/> first.</summary>
public sealed record MarkdownText(string Text) : TextObject(Text)
{
    public override string Type => "mrkdwn";
    /// <summary>True: Slack leaves URLs, channel names and @mentions as written instead of linking them.</summary>
    public bool? Verbatim { get; init; }
}
