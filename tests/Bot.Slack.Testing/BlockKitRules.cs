using System.Text.Json;
using System.Text.Json.Nodes;

namespace Bot.Slack.Testing;

/// <summary>
/// The Block Kit limits Slack enforces on the blocks the bot sends (docs.slack.dev/reference/block-kit), so a
/// message or view the fake accepts is one Slack would accept too. Problems come back the way Slack words them:
/// "[ERROR] must be less than 3001 characters [json-pointer:/blocks/0/text/text]".
/// </summary>
internal static class BlockKitRules
{
    private static readonly HashSet<string> KnownBlocks =
        ["section", "header", "divider", "context", "actions", "input", "image", "rich_text", "file", "video", "markdown", "table", "context_actions"];

    private static readonly HashSet<string> KnownElements =
    [
        "button", "static_select", "external_select", "users_select", "conversations_select", "channels_select",
        "multi_static_select", "multi_external_select", "multi_users_select", "multi_conversations_select",
        "multi_channels_select", "overflow", "datepicker", "timepicker", "datetimepicker", "plain_text_input",
        "checkboxes", "radio_buttons", "email_text_input", "url_text_input", "number_input", "image",
        "rich_text_input", "file_input", "workflow_button", "feedback_buttons", "icon_button",
    ];

    /// <summary>Every problem found, empty when the blocks are fine.</summary>
    public static List<string> Check(JsonArray blocks, string pointer, int maxBlocks)
    {
        var problems = new List<string>();
        if (blocks.Count > maxBlocks) problems.Add($"[ERROR] no more than {maxBlocks} items allowed [json-pointer:{pointer}]");
        var blockIds = new HashSet<string>(StringComparer.Ordinal);
        // Slack wants action_id unique within its block, block_id unique within the message or view.
        for (var i = 0; i < blocks.Count; i++)
            CheckBlock(blocks[i], $"{pointer}/{i}", problems, new HashSet<string>(StringComparer.Ordinal), blockIds);
        return problems;
    }

    private static void CheckBlock(JsonNode? node, string at, List<string> problems, HashSet<string> actionIds, HashSet<string> blockIds)
    {
        if (node is not JsonObject block || Str(block, "type") is not { } type)
        {
            problems.Add($"[ERROR] missing required field: type [json-pointer:{at}]");
            return;
        }
        if (!KnownBlocks.Contains(type))
        {
            problems.Add($"[ERROR] unsupported type: {type} [json-pointer:{at}/type]");
            return;
        }
        if (Str(block, "block_id") is { } blockId)
        {
            MaxLength(blockId, 255, $"{at}/block_id", problems);
            if (!blockIds.Add(blockId)) problems.Add($"[ERROR] duplicate block_id: {blockId} [json-pointer:{at}/block_id]");
        }
        switch (type)
        {
            case "section":
                if (block["text"] is null && block["fields"] is null)
                    problems.Add($"[ERROR] must provide either text or fields [json-pointer:{at}]");
                if (block["text"] is { } text) CheckText(text, 3000, $"{at}/text", problems);
                if (block["fields"] is JsonArray fields)
                {
                    if (fields.Count > 10) problems.Add($"[ERROR] no more than 10 items allowed [json-pointer:{at}/fields]");
                    for (var f = 0; f < fields.Count; f++) CheckText(fields[f], 2000, $"{at}/fields/{f}", problems);
                }
                if (block["accessory"] is { } accessory) CheckElement(accessory, $"{at}/accessory", problems, actionIds);
                break;
            case "header":
                CheckText(block["text"], 150, $"{at}/text", problems, plainOnly: true);
                break;
            case "context":
                if (block["elements"] is not JsonArray { Count: > 0 and <= 10 } context)
                {
                    problems.Add($"[ERROR] must have between 1 and 10 elements [json-pointer:{at}/elements]");
                    break;
                }
                for (var e = 0; e < context.Count; e++)
                    if (Str(context[e], "type") is "plain_text" or "mrkdwn") CheckText(context[e], 3000, $"{at}/elements/{e}", problems);
                break;
            case "actions":
                if (block["elements"] is not JsonArray { Count: > 0 and <= 25 } actions)
                {
                    problems.Add($"[ERROR] must have between 1 and 25 elements [json-pointer:{at}/elements]");
                    break;
                }
                for (var e = 0; e < actions.Count; e++) CheckElement(actions[e], $"{at}/elements/{e}", problems, actionIds);
                break;
            case "input":
                CheckText(block["label"], 2000, $"{at}/label", problems, plainOnly: true);
                if (block["element"] is null) problems.Add($"[ERROR] missing required field: element [json-pointer:{at}]");
                else CheckElement(block["element"], $"{at}/element", problems, actionIds);
                if (block["hint"] is { } hint) CheckText(hint, 2000, $"{at}/hint", problems, plainOnly: true);
                break;
            case "image":
                if (Str(block, "image_url") is null && block["slack_file"] is null)
                    problems.Add($"[ERROR] missing required field: image_url [json-pointer:{at}]");
                if (Str(block, "alt_text") is not { } alt) problems.Add($"[ERROR] missing required field: alt_text [json-pointer:{at}]");
                else MaxLength(alt, 2000, $"{at}/alt_text", problems);
                break;
        }
    }

    private static void CheckElement(JsonNode? node, string at, List<string> problems, HashSet<string> actionIds)
    {
        if (node is not JsonObject element || Str(element, "type") is not { } type)
        {
            problems.Add($"[ERROR] missing required field: type [json-pointer:{at}]");
            return;
        }
        if (!KnownElements.Contains(type))
        {
            problems.Add($"[ERROR] unsupported type: {type} [json-pointer:{at}/type]");
            return;
        }
        if (Str(element, "action_id") is { } actionId)
        {
            MaxLength(actionId, 255, $"{at}/action_id", problems);
            if (!actionIds.Add(actionId)) problems.Add($"[ERROR] duplicate action_id: {actionId} [json-pointer:{at}/action_id]");
        }
        if (element["placeholder"] is { } placeholder) CheckText(placeholder, 150, $"{at}/placeholder", problems, plainOnly: true);
        switch (type)
        {
            case "button":
                CheckText(element["text"], 75, $"{at}/text", problems, plainOnly: true);
                if (Str(element, "value") is { } value) MaxLength(value, 2000, $"{at}/value", problems);
                if (Str(element, "url") is { } url) MaxLength(url, 3000, $"{at}/url", problems);
                if (Str(element, "style") is { } style && style is not ("primary" or "danger"))
                    problems.Add($"[ERROR] must be one of primary, danger [json-pointer:{at}/style]");
                break;
            case "static_select" or "multi_static_select" or "overflow" or "checkboxes" or "radio_buttons":
                CheckOptions(element, at, problems, type == "overflow" ? 5 : type is "checkboxes" or "radio_buttons" ? 10 : 100);
                break;
            case "plain_text_input":
                var ml = element["max_length"] is JsonValue maxLength && maxLength.TryGetValue<int>(out var m) ? m : 3000;
                if (ml > 3000) problems.Add($"[ERROR] must be less than or equal to 3000 [json-pointer:{at}/max_length]");
                // The box cannot hold more than its limit, so neither can its starting text.
                if (Str(element, "initial_value") is { } initial) MaxLength(initial, Math.Min(ml, 3000), $"{at}/initial_value", problems);
                break;
            case "datepicker":
                if (Str(element, "initial_date") is { } date && !DateOnly.TryParseExact(date, "yyyy-MM-dd", out _))
                    problems.Add($"[ERROR] must be a date formatted YYYY-MM-DD [json-pointer:{at}/initial_date]");
                break;
            case "timepicker":
                if (Str(element, "initial_time") is { } time && !TimeOnly.TryParseExact(time, "HH:mm", out _))
                    problems.Add($"[ERROR] must be a time formatted HH:mm [json-pointer:{at}/initial_time]");
                break;
        }
    }

    private static void CheckOptions(JsonObject element, string at, List<string> problems, int max)
    {
        var options = element["options"] as JsonArray;
        var groups = element["option_groups"] as JsonArray;
        if (options is null && groups is null)
        {
            problems.Add($"[ERROR] must provide either options or option_groups [json-pointer:{at}]");
            return;
        }
        if (options is null) return;
        if (options.Count is 0 || options.Count > max)
            problems.Add($"[ERROR] must have between 1 and {max} items [json-pointer:{at}/options]");
        for (var o = 0; o < options.Count; o++)
        {
            CheckText(options[o]?["text"], 75, $"{at}/options/{o}/text", problems);
            if (Str(options[o], "value") is not { } value) problems.Add($"[ERROR] missing required field: value [json-pointer:{at}/options/{o}]");
            else MaxLength(value, 150, $"{at}/options/{o}/value", problems);
        }
        // Slack refuses a view whose preselected options are not among the options.
        var values = options.Select(o => Str(o, "value")).ToHashSet();
        if (element["initial_option"] is JsonObject initial && !values.Contains(Str(initial, "value")))
            problems.Add($"[ERROR] must match one of the options [json-pointer:{at}/initial_option]");
        if (element["initial_options"] is JsonArray initials)
        {
            if (initials.Count == 0) problems.Add($"[ERROR] must have at least 1 item [json-pointer:{at}/initial_options]");
            for (var i = 0; i < initials.Count; i++)
                if (!values.Contains(Str(initials[i], "value")))
                    problems.Add($"[ERROR] must match one of the options [json-pointer:{at}/initial_options/{i}]");
        }
    }

    private static void CheckText(JsonNode? node, int max, string at, List<string> problems, bool plainOnly = false)
    {
        if (node is not JsonObject text || Str(text, "type") is not { } type || Str(text, "text") is not { } value)
        {
            problems.Add($"[ERROR] missing required field: text [json-pointer:{at}]");
            return;
        }
        if (plainOnly ? type != "plain_text" : type is not ("plain_text" or "mrkdwn"))
            problems.Add($"[ERROR] must be {(plainOnly ? "plain_text" : "one of plain_text, mrkdwn")} [json-pointer:{at}/type]");
        if (value.Length == 0) problems.Add($"[ERROR] must be more than 0 characters [json-pointer:{at}/text]");
        MaxLength(value, max, $"{at}/text", problems);
    }

    private static void MaxLength(string value, int max, string at, List<string> problems)
    {
        if (value.Length > max) problems.Add($"[ERROR] must be less than {max + 1} characters [json-pointer:{at}]");
    }

    private static string? Str(JsonNode? node, string name) =>
        node is JsonObject o && o[name] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
}
