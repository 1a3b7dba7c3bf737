namespace Bot.Slack.Blocks;

/// <summary>header: large bold plain text, at most 150 characters (cut with "…").</summary>
public sealed record HeaderBlock : Block
{
    public HeaderBlock(PlainText text) => Text = text;
    public override string Type => "header";
    public PlainText Text { get; init => field = value.Truncate(SlackLimits.HeaderText); }
}

/// <summary>section: text (at most 3000), and/or up to 10 fields (at most 2000 each), with an optional accessory element.</summary>
public sealed record SectionBlock : Block
{
    public override string Type => "section";

    public TextObject? Text { get; init => field = value?.Truncate(SlackLimits.SectionText); }

    /// <summary>Shown two columns wide. Past 10, the 10th says how many more there were.</summary>
    public IReadOnlyList<TextObject>? Fields
    {
        get;
        init => field = value is null ? null : BlockLimits.CapTexts(value, SlackLimits.SectionFields, SlackLimits.FieldText);
    }

    public BlockElement? Accessory { get; init; }
}

/// <summary>context: small grey text, up to 10 elements (past 10, the 10th says how many more).</summary>
public sealed record ContextBlock : Block
{
    public ContextBlock(IReadOnlyList<TextObject> elements) => Elements = elements;
    public override string Type => "context";
    public IReadOnlyList<TextObject> Elements
    {
        get;
        init => field = BlockLimits.CapTexts(value, SlackLimits.ContextElements, SlackLimits.SectionText);
    }
}

public sealed record DividerBlock : Block
{
    public override string Type => "divider";
}

/// <summary>actions: up to 25 interactive elements (buttons, selects, pickers); extra ones are dropped.</summary>
public sealed record ActionsBlock : Block
{
    public ActionsBlock(IReadOnlyList<BlockElement> elements) => Elements = elements;
    public override string Type => "actions";
    public IReadOnlyList<BlockElement> Elements { get; init => field = value.Take(SlackLimits.ActionsElements).ToList(); }
}

/// <summary>input: a labelled form element in a modal (label at most 2000, hint at most 2000).</summary>
public sealed record InputBlock : Block
{
    public InputBlock(string label, BlockElement element)
    {
        Label = label;
        Element = element;
    }

    public override string Type => "input";
    public PlainText Label { get; init => field = value.Truncate(SlackLimits.InputLabel); }
    public BlockElement Element { get; init; }
    public PlainText? Hint { get; init => field = value?.Truncate(SlackLimits.InputHint); }
    /// <summary>True: the form can be submitted with this input empty.</summary>
    public bool? Optional { get; init; }
    public bool? DispatchAction { get; init; }
}

// The builders: short factory methods so feature code reads like the message it builds.
public abstract partial record Block
{
    public static HeaderBlock Header(string text) => new(new PlainText(text));

    public static SectionBlock Section(string mrkdwn, BlockElement? accessory = null) =>
        new() { Text = new MarkdownText(mrkdwn), Accessory = accessory };

    public static SectionBlock SectionFields(params TextObject[] fields) => new() { Fields = fields };

    public static ContextBlock Context(params string[] mrkdwn) => new(mrkdwn.Select(t => (TextObject)new MarkdownText(t)).ToList());

    public static DividerBlock Divider() => new();

    public static ActionsBlock Actions(params BlockElement[] elements) => new(elements);

    public static InputBlock Input(string blockId, string label, BlockElement element, bool optional = false, string? hint = null) =>
        new(label, element) { BlockId = blockId, Optional = optional ? true : null, Hint = hint is null ? null : new PlainText(hint) };
}
