using System.Globalization;
using System.Text.Json.Serialization;

namespace Bot.Slack.Blocks;

/// <summary>An interactive element (button, input, picker, select). ActionId routes it to its handler (at most 255).</summary>
[JsonConverter(typeof(RuntimeTypeConverter<BlockElement>))]
public abstract record BlockElement
{
    public abstract string Type { get; }
    public string? ActionId { get; init => field = SlackLimits.Id(value, SlackLimits.ActionId, nameof(ActionId)); }
}

public static class ButtonStyle
{
    public const string Primary = "primary";
    public const string Danger = "danger";
}

/// <summary>button: text at most 75 (cut with "…"); value at most 2000 (throws: it is data the handler reads).</summary>
public sealed record ButtonElement : BlockElement
{
    public ButtonElement(string actionId, string text)
    {
        ActionId = actionId;
        Text = text;
    }

    public override string Type => "button";
    public PlainText Text { get; init => field = value.Truncate(SlackLimits.ButtonText); }
    public string? Value { get; init => field = SlackLimits.Id(value, SlackLimits.ButtonValue, nameof(Value)); }
    public string? Url { get; init => field = SlackLimits.Id(value, SlackLimits.ButtonUrl, nameof(Url)); }
    /// <summary><see cref="ButtonStyle.Primary"/>, <see cref="ButtonStyle.Danger"/>, or null for the default.</summary>
    public string? Style { get; init; }
}

/// <summary>plain_text_input: free text, one line or several.</summary>
public sealed record PlainTextInputElement : BlockElement
{
    public override string Type => "plain_text_input";
    public bool? Multiline { get; init; }
    public PlainText? Placeholder { get; init => field = value?.Truncate(SlackLimits.Placeholder); }
    /// <summary>Prefilled text; cut with "…" past max_length (or 3000) so the modal still opens.</summary>
    public string? InitialValue { get; init => field = value is null ? null : SlackLimits.Truncate(value, SlackLimits.PlainTextInputMaxLength); }
    public int? MinLength { get; init; }
    public int? MaxLength { get; init => field = value is null ? null : Math.Clamp(value.Value, 1, SlackLimits.PlainTextInputMaxLength); }
}

/// <summary>datepicker: a date as YYYY-MM-DD.</summary>
public sealed record DatePickerElement : BlockElement
{
    public override string Type => "datepicker";
    public string? InitialDate { get; init; }
    public PlainText? Placeholder { get; init => field = value?.Truncate(SlackLimits.Placeholder); }

    public static string Format(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

/// <summary>timepicker: a time as HH:mm (24-hour).</summary>
public sealed record TimePickerElement : BlockElement
{
    public override string Type => "timepicker";
    public string? InitialTime { get; init; }
    public PlainText? Placeholder { get; init => field = value?.Truncate(SlackLimits.Placeholder); }
    /// <summary>IANA time zone the picked time is in; Slack shows it beside the picker.</summary>
    public string? Timezone { get; init; }

    public static string Format(TimeOnly time) => time.ToString("HH:mm", CultureInfo.InvariantCulture);
}

public sealed record UsersSelectElement : BlockElement
{
    public override string Type => "users_select";
    public string? InitialUser { get; init; }
    public PlainText? Placeholder { get; init => field = value?.Truncate(SlackLimits.Placeholder); }
}

public sealed record MultiUsersSelectElement : BlockElement
{
    public override string Type => "multi_users_select";
    public IReadOnlyList<string>? InitialUsers { get; init; }
    public int? MaxSelectedItems { get; init; }
    public PlainText? Placeholder { get; init => field = value?.Truncate(SlackLimits.Placeholder); }
}

/// <summary>static_select: up to 100 options (extra ones are dropped).</summary>
public sealed record StaticSelectElement : BlockElement
{
    public StaticSelectElement(string actionId, IReadOnlyList<SelectOption> options)
    {
        ActionId = actionId;
        Options = options;
    }

    public override string Type => "static_select";
    public IReadOnlyList<SelectOption> Options { get; init => field = value.Take(SlackLimits.SelectOptions).ToList(); }
    public SelectOption? InitialOption { get; init; }
    public PlainText? Placeholder { get; init => field = value?.Truncate(SlackLimits.Placeholder); }
}

/// <summary>checkboxes: up to 10 options; initial_options must be among them (Slack refuses the view otherwise).</summary>
public sealed record CheckboxesElement : BlockElement
{
    public CheckboxesElement(string actionId, IReadOnlyList<SelectOption> options)
    {
        ActionId = actionId;
        Options = options;
    }

    public override string Type => "checkboxes";
    public IReadOnlyList<SelectOption> Options { get; init => field = value.Take(SlackLimits.CheckboxOptions).ToList(); }
    public IReadOnlyList<SelectOption>? InitialOptions { get; init; }
}

/// <summary>An option of a select: text at most 75 (cut with "…"), value at most 150 (throws).</summary>
public sealed record SelectOption
{
    public SelectOption(string text, string value)
    {
        Text = text;
        Value = value;
    }

    public PlainText Text { get; init => field = value.Truncate(SlackLimits.OptionText); }
    public string Value { get; init => field = SlackLimits.Id(value, SlackLimits.OptionValue, nameof(Value))!; }
    public PlainText? Description { get; init => field = value?.Truncate(SlackLimits.OptionDescription); }
}
