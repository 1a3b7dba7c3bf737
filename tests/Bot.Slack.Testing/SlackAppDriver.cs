using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Bot.Slack.Testing;

/// <summary>What the app answered: over HTTP the status and body; over Socket Mode the ack's payload as Body
/// (HttpStatus null). ResponseUrl/TriggerId are the ones the request carried, so a test can wait on them.</summary>
public sealed record AppReply(int? HttpStatus, JsonNode? Body, string RawBody, string? ResponseUrl = null, string? TriggerId = null)
{
    public bool IsSuccess => HttpStatus is null or (>= 200 and < 300);
}

/// <summary>
/// Plays Slack towards the app under test: slash commands, events and interactions, either as signed HTTP requests
/// to the app's /slack/* endpoints or as Socket Mode envelopes through the fake's WebSocket. Payloads carry a
/// response_url and a trigger_id from the fake, so whatever the app does with them lands in the fake too.
/// Get one from <see cref="FakeSlack.OverHttp"/> or <see cref="FakeSlack.OverSocketMode"/>.
/// </summary>
public sealed class SlackAppDriver
{
    private readonly FakeSlack _slack;
    private readonly Uri? _appBase;
    private readonly string? _signingSecret;
    private readonly HttpClient? _http;
    private readonly TimeProvider _time;
    private int _eventNumber;

    internal SlackAppDriver(FakeSlack slack, Uri? appBase, string? signingSecret, HttpClient? http, TimeProvider time)
    {
        _slack = slack;
        _appBase = appBase;
        _signingSecret = signingSecret;
        _http = http;
        _time = time;
    }

    public bool IsSocketMode => _appBase is null;

    /// <summary>The app's route prefix (MapSlack's default).</summary>
    public string PathPrefix { get; init; } = "/slack";

    /// <summary>How long to wait for the app's ack over Socket Mode.</summary>
    public TimeSpan AckTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public async Task<AppReply> SlashCommand(string command, string text, string userId, string channelId, string? channelName = null)
    {
        var responseUrl = _slack.ResponseUrl(channelId, userId);
        var triggerId = _slack.NewTriggerId();
        var user = _slack.Users.FirstOrDefault(u => u.Id == userId);
        var fields = new Dictionary<string, string>
        {
            ["token"] = "fake-verification-token",
            ["team_id"] = _slack.TeamId,
            ["team_domain"] = "fake-workspace",
            ["channel_id"] = channelId,
            ["channel_name"] = channelName ?? _slack.Channel(channelId)?.Name ?? "directmessage",
            ["user_id"] = userId,
            ["user_name"] = user?.Name ?? userId,
            ["command"] = command,
            ["text"] = text,
            ["api_app_id"] = _slack.AppId,
            ["is_enterprise_install"] = "false",
            ["response_url"] = responseUrl,
            ["trigger_id"] = triggerId,
        };
        var reply = IsSocketMode
            ? await OverSocket("slash_commands", new JsonObject(fields.Select(f => KeyValuePair.Create(f.Key, (JsonNode?)f.Value))), acceptsPayload: true)
            : await Post("commands", "application/x-www-form-urlencoded", await new FormUrlEncodedContent(fields).ReadAsStringAsync());
        return reply with { ResponseUrl = responseUrl, TriggerId = triggerId };
    }

    /// <summary>An Events API delivery of <paramref name="innerEvent"/> (the "event" object). A retry carries
    /// X-Slack-Retry-Num/Reason over HTTP and retry_attempt/retry_reason over Socket Mode.</summary>
    public Task<AppReply> Event(JsonObject innerEvent, string? eventId = null, int retryNum = 0, string? retryReason = null)
    {
        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        var envelope = new JsonObject
        {
            ["token"] = "fake-verification-token",
            ["team_id"] = _slack.TeamId,
            ["api_app_id"] = _slack.AppId,
            ["event"] = innerEvent.DeepClone(),
            ["type"] = "event_callback",
            ["event_id"] = eventId ?? $"Ev{Interlocked.Increment(ref _eventNumber):D8}FAKE",
            ["event_time"] = now,
            ["authorizations"] = new JsonArray(new JsonObject
            {
                ["enterprise_id"] = null, ["team_id"] = _slack.TeamId, ["user_id"] = _slack.BotUserId, ["is_bot"] = true,
                ["is_enterprise_install"] = false,
            }),
            ["is_ext_shared_channel"] = false,
        };
        if (IsSocketMode) return OverSocket("events_api", envelope, acceptsPayload: false, retryNum, retryReason ?? "");
        var headers = retryNum > 0
            ? new Dictionary<string, string> { ["X-Slack-Retry-Num"] = retryNum.ToString(), ["X-Slack-Retry-Reason"] = retryReason ?? "http_timeout" }
            : null;
        return Post("events", "application/json", envelope.ToJsonString(), headers);
    }

    /// <summary>Slack's app_uninstalled: the workspace removed the app (call FakeSlack.Uninstall too: the token stops working).</summary>
    public Task<AppReply> AppUninstalled(string? eventId = null) => Event(_slack.AppUninstalledEvent(), eventId);

    /// <summary>Slack's tokens_revoked; by default for the bot's own token.</summary>
    public Task<AppReply> TokensRevoked(IEnumerable<string>? botUsers = null, IEnumerable<string>? oauthUsers = null, string? eventId = null) =>
        Event(_slack.TokensRevokedEvent(botUsers ?? (oauthUsers is null ? [_slack.BotUserId] : null), oauthUsers), eventId);

    /// <summary>A person posts in a channel: the message is stored in the fake (history, permalinks and replies find
    /// it) and delivered to the app as a message event.</summary>
    public async Task<(FakeMessage Message, AppReply Reply)> UserMessage(string channelId, string userId, string text, string? threadTs = null)
    {
        var message = _slack.AddMessage(channelId, userId, text, threadTs);
        var channel = _slack.Channel(channelId)!;
        var evt = new JsonObject
        {
            ["type"] = "message",
            ["channel"] = channel.Id,
            ["user"] = userId,
            ["text"] = text,
            ["ts"] = message.Ts,
            ["event_ts"] = message.Ts,
            ["team"] = _slack.TeamId,
            ["channel_type"] = channel.IsIm ? "im" : channel.IsMpim ? "mpim" : channel.IsPrivate ? "group" : "channel",
        };
        if (threadTs is not null) evt["thread_ts"] = threadTs;
        return (message, await Event(evt));
    }

    /// <summary>Any interaction payload; team, user, app id, token, trigger_id (and response_url where Slack sends
    /// one) are filled in when missing.</summary>
    public async Task<AppReply> Interaction(JsonObject payload, string userId)
    {
        payload = payload.DeepClone().AsObject();
        var type = payload["type"]?.ToString() ?? throw new ArgumentException("An interaction payload needs a type", nameof(payload));
        var user = _slack.Users.FirstOrDefault(u => u.Id == userId);
        payload["team"] ??= new JsonObject { ["id"] = _slack.TeamId, ["domain"] = "fake-workspace" };
        payload["user"] ??= new JsonObject { ["id"] = userId, ["username"] = user?.Name ?? userId, ["name"] = user?.Name ?? userId, ["team_id"] = _slack.TeamId };
        payload["api_app_id"] ??= _slack.AppId;
        payload["token"] ??= "fake-verification-token";
        payload["is_enterprise_install"] ??= false;
        var triggerId = payload["trigger_id"]?.ToString() ?? _slack.NewTriggerId();
        payload["trigger_id"] = triggerId;
        string? responseUrl = null;
        // view_submission and global shortcuts carry no response_url (view_submission has response_urls only for
        // conversation pickers); block actions in messages and message shortcuts do.
        if (type is "block_actions" or "message_action" && payload["view"] is null)
            payload["response_url"] ??= _slack.ResponseUrl(
                payload["channel"]?["id"]?.ToString(), userId, payload["container"]?["message_ts"]?.ToString());
        responseUrl = payload["response_url"]?.ToString();

        var reply = IsSocketMode
            ? await OverSocket("interactive", payload, acceptsPayload: type is "view_submission" or "block_suggestion")
            : await Post("interactivity", "application/x-www-form-urlencoded",
                await new FormUrlEncodedContent([KeyValuePair.Create("payload", payload.ToJsonString())]).ReadAsStringAsync());
        return reply with { ResponseUrl = responseUrl, TriggerId = triggerId };
    }

    /// <summary>A button (or other element) clicked in a message the fake holds.</summary>
    public Task<AppReply> BlockActionInMessage(string userId, FakeMessage message, string actionId, string? value = null,
        string? blockId = null, string elementType = "button")
    {
        var channel = _slack.Channel(message.Channel)!;
        var action = new JsonObject
        {
            ["type"] = elementType, ["action_id"] = actionId, ["block_id"] = blockId ?? BlockIdOf(message.Blocks, actionId) ?? "b",
            ["action_ts"] = $"{_time.GetUtcNow().ToUnixTimeSeconds()}.000001",
        };
        if (value is not null) action["value"] = value;
        var payload = new JsonObject
        {
            ["type"] = "block_actions",
            ["container"] = new JsonObject { ["type"] = "message", ["message_ts"] = message.Ts, ["channel_id"] = channel.Id, ["is_ephemeral"] = false },
            ["channel"] = new JsonObject { ["id"] = channel.Id, ["name"] = channel.Name ?? "directmessage" },
            ["message"] = new JsonObject
            {
                ["type"] = "message", ["ts"] = message.Ts, ["text"] = message.Text ?? "", ["user"] = message.User,
                ["bot_id"] = message.BotId, ["blocks"] = message.Blocks?.DeepClone(), ["thread_ts"] = message.ThreadTs,
            },
            ["actions"] = new JsonArray(action),
        };
        return Interaction(payload, userId);
    }

    /// <summary>The user submits a modal the fake opened. <paramref name="values"/> is Slack's view.state.values:
    /// {"block_id": {"action_id": {"type": "plain_text_input", "value": "..."}}}.</summary>
    /// <remarks>The app's answer is applied to the fake's views as Slack would (<see cref="FakeSlack.ApplyViewResponse"/>):
    /// "update" replaces <paramref name="view"/>, "push" stacks one, "clear" or an empty answer closes; an answer Slack
    /// would refuse throws <see cref="SlackErrorException"/>.</remarks>
    public async Task<AppReply> ViewSubmission(string userId, FakeView view, JsonObject values)
    {
        var payload = new JsonObject
        {
            ["type"] = "view_submission",
            ["view"] = ViewPayload(view, values),
            ["response_urls"] = new JsonArray(),
        };
        var reply = await Interaction(payload, userId);
        if (reply.IsSuccess) _slack.ApplyViewResponse(view.Id, reply.Body);
        return reply;
    }

    /// <summary>An element changed in an open modal (a select with dispatch_action, a button in a view): a block_actions
    /// payload with the view (its id, hash and current state) and no response_url, as Slack sends it.</summary>
    public Task<AppReply> BlockActionInView(string userId, FakeView view, string actionId, JsonObject action, JsonObject? values = null)
    {
        action = action.DeepClone().AsObject();
        action["action_id"] = actionId;
        action["block_id"] ??= BlockIdOf(view.Definition["blocks"], actionId) ?? "b";
        action["action_ts"] ??= $"{_time.GetUtcNow().ToUnixTimeSeconds()}.000001";
        var payload = new JsonObject
        {
            ["type"] = "block_actions",
            ["container"] = new JsonObject { ["type"] = "view", ["view_id"] = view.Id },
            ["view"] = ViewPayload(view, values ?? new JsonObject()),
            ["actions"] = new JsonArray(action),
        };
        return Interaction(payload, userId);
    }

    /// <summary>The user closes a modal that asked for notify_on_close.</summary>
    public Task<AppReply> ViewClosed(string userId, FakeView view) =>
        Interaction(new JsonObject { ["type"] = "view_closed", ["view"] = ViewPayload(view, new JsonObject()), ["is_cleared"] = false }, userId);

    /// <summary>A message shortcut ("More actions" on a message) on a message the fake holds.</summary>
    public Task<AppReply> MessageShortcut(string callbackId, string userId, FakeMessage message)
    {
        var channel = _slack.Channel(message.Channel)!;
        var payload = new JsonObject
        {
            ["type"] = "message_action",
            ["callback_id"] = callbackId,
            ["action_ts"] = $"{_time.GetUtcNow().ToUnixTimeSeconds()}.000001",
            ["message_ts"] = message.Ts,
            ["channel"] = new JsonObject { ["id"] = channel.Id, ["name"] = channel.Name ?? "directmessage" },
            ["message"] = new JsonObject
            {
                ["type"] = "message", ["ts"] = message.Ts, ["text"] = message.Text ?? "", ["user"] = message.User,
                ["thread_ts"] = message.ThreadTs,
            },
        };
        return Interaction(payload, userId);
    }

    public Task<AppReply> GlobalShortcut(string callbackId, string userId) =>
        Interaction(new JsonObject
        {
            ["type"] = "shortcut", ["callback_id"] = callbackId, ["action_ts"] = $"{_time.GetUtcNow().ToUnixTimeSeconds()}.000001",
        }, userId);

    /// <summary>A signed POST of any body to the app (for malformed-input tests); HTTP drivers only.</summary>
    public async Task<AppReply> Post(string endpoint, string contentType, string body, IReadOnlyDictionary<string, string>? headers = null)
    {
        if (_appBase is null) throw new InvalidOperationException("This driver delivers over Socket Mode; signed HTTP needs FakeSlack.OverHttp.");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_appBase, $"{PathPrefix.TrimEnd('/')}/{endpoint}"))
        {
            Content = new StringContent(body, Encoding.UTF8),
        };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        var timestamp = _time.GetUtcNow().ToUnixTimeSeconds();
        request.Headers.Add("X-Slack-Request-Timestamp", timestamp.ToString());
        request.Headers.Add("X-Slack-Signature", Sign(_signingSecret!, timestamp, body));
        foreach (var (name, value) in headers ?? new Dictionary<string, string>()) request.Headers.Add(name, value);
        using var response = await _http!.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return new AppReply((int)response.StatusCode, TryParse(text), text);
    }

    /// <summary>Slack's request signature: "v0=" + hex(HMAC-SHA256(secret, "v0:{timestamp}:{body}")).</summary>
    public static string Sign(string signingSecret, long timestamp, string body)
    {
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(signingSecret), Encoding.UTF8.GetBytes($"v0:{timestamp}:{body}"));
        return "v0=" + Convert.ToHexStringLower(mac);
    }

    private async Task<AppReply> OverSocket(string type, JsonObject payload, bool acceptsPayload, int retryAttempt = 0, string retryReason = "")
    {
        var ack = await _slack.SendEnvelope(type, payload.ToJsonString(), acceptsPayload, AckTimeout, retryAttempt, retryReason);
        return new AppReply(null, ack.Payload, ack.Raw);
    }

    private JsonObject ViewPayload(FakeView view, JsonObject values)
    {
        var d = view.Definition;
        return new JsonObject
        {
            ["id"] = view.Id,
            ["team_id"] = _slack.TeamId,
            ["type"] = view.Type,
            ["callback_id"] = d["callback_id"]?.ToString() ?? "",
            ["private_metadata"] = d["private_metadata"]?.ToString() ?? "",
            ["external_id"] = view.ExternalId ?? "",
            ["hash"] = view.Hash,
            ["root_view_id"] = view.RootViewId ?? view.Id,
            ["previous_view_id"] = view.PreviousViewId,
            ["title"] = d["title"]?.DeepClone(),
            ["blocks"] = d["blocks"]?.DeepClone(),
            ["state"] = new JsonObject { ["values"] = values.DeepClone() },
            ["app_id"] = _slack.AppId,
            ["bot_id"] = _slack.BotId,
        };
    }

    private static string? BlockIdOf(JsonNode? blocks, string actionId) =>
        (blocks as JsonArray)?.OfType<JsonObject>()
            .FirstOrDefault(b => (b["elements"] as JsonArray)?.Any(e => e?["action_id"]?.ToString() == actionId) == true
                || b["accessory"]?["action_id"]?.ToString() == actionId
                || b["element"]?["action_id"]?.ToString() == actionId)?["block_id"]?.ToString();

    private static JsonNode? TryParse(string text)
    {
        if (text.Length == 0) return null;
        try
        {
            return JsonNode.Parse(text);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
