namespace Bot.Slack.Blocks;

/// <summary>Slack's Block Kit limits, and how this library keeps them: text is cut with a visible "…",
/// identifiers and values that code relies on throw instead (cutting them would break routing or state).</summary>
public static class SlackLimits
{
    public const int BlocksPerMessage = 50;
    public const int BlocksPerView = 100;
    public const int SectionText = 3000;
    public const int SectionFields = 10;
    public const int FieldText = 2000;
    public const int HeaderText = 150;
    public const int ContextElements = 10;
    public const int ActionsElements = 25;
    public const int ButtonText = 75;
    public const int ButtonValue = 2000;
    public const int ButtonUrl = 3000;
    public const int ModalTitle = 24;
    public const int ModalButton = 24;
    public const int InputLabel = 2000;
    public const int InputHint = 2000;
    public const int Placeholder = 150;
    public const int PlainTextInputMaxLength = 3000;
    public const int SelectOptions = 100;
    public const int CheckboxOptions = 10;
    public const int OptionText = 75;
    public const int OptionValue = 150;
    public const int OptionDescription = 75;
    public const int ActionId = 255;
    public const int BlockId = 255;
    public const int CallbackId = 255;
    public const int ExternalId = 255;
    public const int PrivateMetadata = 3000;
    public const int MessageText = 40000;

    public const string Ellipsis = "…";

    /// <summary>Cuts text to at most max characters, the last being "…", without splitting a surrogate pair.</summary>
    public static string Truncate(string text, int max)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length <= max) return text;
        var keep = max - Ellipsis.Length;
        if (keep > 0 && char.IsHighSurrogate(text[keep - 1])) keep--;
        // Trailing spaces before the "…" would look like a stray gap; the cut is visible either way.
        return string.Concat(text.AsSpan(0, Math.Max(keep, 0)).TrimEnd(), Ellipsis);
    }

    /// <summary>An identifier or value that code reads back (action_id, block_id, callback_id, private_metadata...):
    /// longer than max throws.</summary>
    public static string? Id(string? value, int max, string name) =>
        value is { Length: var n } && n > max
            ? throw new ArgumentException($"{name} is {n} characters; Slack allows {max}.", name)
            : value;
}
