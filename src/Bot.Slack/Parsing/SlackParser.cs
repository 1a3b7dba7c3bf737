using System.Text;
using System.Text.Unicode;
using System.Text.Json;
using Bot.Slack.Events;
using Bot.Slack.Interactivity;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;

namespace Bot.Slack.Parsing;

/// <summary>Input that is not what Slack sends. The message is short and safe to return in a 400.</summary>
public sealed class SlackParseException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The body of a POST to the Events API endpoint, by its outer "type".</summary>
public sealed record EventsApiBody(string Type, string? Challenge, EventCallback? Callback)
{
    public const string UrlVerification = "url_verification";
    public const string EventCallbackType = "event_callback";
}

/// <summary>Turns what Slack sends (JSON bodies, form fields, Socket Mode payloads) into the typed models.
/// Every failure is a <see cref="SlackParseException"/>.</summary>
public static class SlackParser
{
    /// <summary>An Events API request body: url_verification, event_callback, or another outer type
    /// (app_rate_limited, ...) returned with only its Type set.</summary>
    public static EventsApiBody ParseEventsBody(ReadOnlySpan<byte> json)
    {
        using var doc = ParseDocument(json, "body");
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object) throw new SlackParseException("body is not a JSON object");
        var type = GetString(root, "type") ?? throw new SlackParseException("body has no type");
        return type switch
        {
            EventsApiBody.UrlVerification => new EventsApiBody(type,
                GetString(root, "challenge") ?? throw new SlackParseException("url_verification without challenge"), null),
            EventsApiBody.EventCallbackType => new EventsApiBody(type, null, ParseEventCallback(root)),
            _ => new EventsApiBody(type, null, null),
        };
    }

    /// <summary>An event_callback envelope (the HTTP body, or a Socket Mode events_api payload).</summary>
    public static EventCallback ParseEventCallback(JsonElement envelope)
    {
        if (envelope.ValueKind != JsonValueKind.Object) throw new SlackParseException("event envelope is not a JSON object");
        if (!envelope.TryGetProperty("event", out var inner) || inner.ValueKind != JsonValueKind.Object)
            throw new SlackParseException("event_callback without an event object");
        return Deserialize<EventCallback>(envelope, "event envelope");
    }

    public static EventCallback ParseEventCallback(ReadOnlySpan<byte> json)
    {
        using var doc = ParseDocument(json, "body");
        return ParseEventCallback(doc.RootElement);
    }

    /// <summary>An inner event alone (the "event" object).</summary>
    public static SlackEvent ParseEvent(JsonElement inner)
    {
        if (inner.ValueKind != JsonValueKind.Object) throw new SlackParseException("event is not a JSON object");
        return Deserialize<SlackEvent>(inner, "event");
    }

    /// <summary>An interactivity payload (the form field "payload", or a Socket Mode interactive payload).</summary>
    public static InteractionPayload ParseInteraction(JsonElement payload)
    {
        if (payload.ValueKind != JsonValueKind.Object) throw new SlackParseException("payload is not a JSON object");
        return Deserialize<InteractionPayload>(payload, "payload");
    }

    public static InteractionPayload ParseInteraction(string json)
    {
        using var doc = ParseDocument(Encoding.UTF8.GetBytes(json), "payload");
        return ParseInteraction(doc.RootElement);
    }

    /// <summary>An application/x-www-form-urlencoded body.</summary>
    public static Dictionary<string, StringValues> ParseForm(ReadOnlySpan<byte> body)
    {
        try
        {
            // Non-ASCII is percent-encoded in valid form bodies; invalid UTF-8 is caught below.
            var text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(body);
            using var reader = new FormReader(text);
            return reader.ReadForm();
        }
        catch (Exception ex) when (ex is DecoderFallbackException or InvalidDataException or FormatException)
        {
            throw new SlackParseException("body is not a valid form", ex);
        }
    }

    /// <summary>The interactivity endpoint's body: a form whose "payload" field is JSON.</summary>
    public static InteractionPayload ParseInteractionForm(ReadOnlySpan<byte> body) => ParseInteractionForm(body, out _);

    /// <summary>As <see cref="ParseInteractionForm(ReadOnlySpan{byte})"/>; <paramref name="json"/> is the payload field as sent.</summary>
    public static InteractionPayload ParseInteractionForm(ReadOnlySpan<byte> body, out string json)
    {
        var form = ParseForm(body);
        if (!form.TryGetValue("payload", out var payload) || StringValues.IsNullOrEmpty(payload))
            throw new SlackParseException("form has no payload field");
        json = payload.ToString();
        return ParseInteraction(json);
    }

    /// <summary>A slash command from its form fields.</summary>
    public static SlashCommand ParseSlashCommandForm(ReadOnlySpan<byte> body)
    {
        var form = ParseForm(body);
        return Checked(BuildSlashCommand(name => form.TryGetValue(name, out var v) ? v.ToString() : null), "form");
    }

    /// <summary>A slash command from a Socket Mode payload (the same fields as JSON; values may be strings or bools).</summary>
    public static SlashCommand ParseSlashCommand(JsonElement payload)
    {
        if (payload.ValueKind != JsonValueKind.Object) throw new SlackParseException("slash command payload is not a JSON object");
        return Checked(BuildSlashCommand(name => payload.TryGetProperty(name, out var v)
            ? v.ValueKind switch
            {
                JsonValueKind.String => v.GetString(),
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                JsonValueKind.Null or JsonValueKind.Undefined => null,
                _ => v.GetRawText(),
            }
            : null), "payload");
    }

    /// <summary>Slack sends every slash command with the command, the person and the conversation it came from; one
    /// without them is not from Slack, and a handler must not meet a command that names nobody.</summary>
    private static SlashCommand Checked(SlashCommand command, string what)
    {
        if (string.IsNullOrWhiteSpace(command.Command)) throw new SlackParseException($"slash command {what} has no command");
        if (string.IsNullOrWhiteSpace(command.UserId)) throw new SlackParseException($"slash command {what} has no user_id");
        if (string.IsNullOrWhiteSpace(command.ChannelId)) throw new SlackParseException($"slash command {what} has no channel_id");
        return command;
    }

    private static SlashCommand BuildSlashCommand(Func<string, string?> field)
    {
        return new SlashCommand
        {
            Command = field("command") ?? "",
            Text = field("text") ?? "",
            TeamId = field("team_id"),
            TeamDomain = field("team_domain"),
            EnterpriseId = field("enterprise_id"),
            ChannelId = field("channel_id"),
            ChannelName = field("channel_name"),
            UserId = field("user_id"),
            UserName = field("user_name"),
            ResponseUrl = field("response_url"),
            TriggerId = field("trigger_id"),
            ApiAppId = field("api_app_id"),
            IsEnterpriseInstall = string.Equals(field("is_enterprise_install"), "true", StringComparison.OrdinalIgnoreCase),
        };
    }

    private static JsonDocument ParseDocument(ReadOnlySpan<byte> json, string what)
    {
        // The JSON reader checks UTF-8 only when a string is read, deep inside a handler's model: check it all here.
        if (!Utf8.IsValid(json)) throw new SlackParseException($"{what} is not valid UTF-8");
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 128 });
            return JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException ex)
        {
            throw new SlackParseException($"{what} is not valid JSON", ex);
        }
    }

    private static T Deserialize<T>(JsonElement element, string what)
    {
        try
        {
            return element.Deserialize<T>(SlackJson.Incoming) ?? throw new SlackParseException($"{what} is null");
        }
        catch (JsonException ex)
        {
            // The path says which field had the wrong shape; values are not echoed.
            throw new SlackParseException($"{what} has an unexpected shape at {ex.Path ?? "$"}", ex);
        }
    }

    private static string? GetString(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
