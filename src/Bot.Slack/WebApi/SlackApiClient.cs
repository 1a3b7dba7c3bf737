using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Bot.Slack.Blocks;
using Bot.Slack.Diagnostics;
using Bot.Slack.Handlers;
using Bot.Slack.WebApi.RateLimiting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bot.Slack.WebApi;

/// <summary>The Web API over HttpClient: paced by <see cref="SlackRateLimiter"/>, retried on 429 (after
/// Retry-After), 5xx and network errors (bounded, exponential backoff), ok:false mapped to
/// <see cref="SlackApiException"/>. The bot token goes only to the API base URL, never to response_url or
/// upload URLs, and is never logged.</summary>
public sealed partial class SlackApiClient : ISlackApi
{
    /// <summary>The IHttpClientFactory name this client uses; configure handlers on it if needed.</summary>
    public const string HttpClientName = "Bot.Slack.WebApi";

    private static readonly MediaTypeHeaderValue JsonMediaType = new("application/json") { CharSet = "utf-8" };

    private readonly IHttpClientFactory _httpFactory;
    private readonly IOptions<SlackOptions> _slack;
    private readonly SlackWebApiOptions _options;
    private readonly SlackRateLimiter _limiter;
    private readonly TimeProvider _time;
    private readonly ILogger<SlackApiClient> _log;
    private readonly SlackMetrics? _metrics;

    public SlackApiClient(IHttpClientFactory httpFactory, IOptions<SlackOptions> slack, IOptions<SlackWebApiOptions> options,
        SlackRateLimiter limiter, TimeProvider time, ILogger<SlackApiClient> log, SlackMetrics? metrics = null)
    {
        _metrics = metrics;
        _httpFactory = httpFactory;
        _slack = slack;
        _options = options.Value;
        _limiter = limiter;
        _time = time;
        _log = log;
        Auth = new AuthApi(this);
        Chat = new ChatApi(this);
        Conversations = new ConversationsApi(this);
        Users = new UsersApi(this);
        Usergroups = new UsergroupsApi(this);
        Views = new ViewsApi(this);
        Pins = new PinsApi(this);
        Files = new FilesApi(this);
    }

    public IAuthApi Auth { get; }
    public IChatApi Chat { get; }
    public IConversationsApi Conversations { get; }
    public IUsersApi Users { get; }
    public IUsergroupsApi Usergroups { get; }
    public IViewsApi Views { get; }
    public IPinsApi Pins { get; }
    public IFilesApi Files { get; }

    internal SlackWebApiOptions Options => _options;

    public Task<JsonElement> Call(string method, IReadOnlyDictionary<string, object?> args, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(method);
        var a = new SlackArgs(args);
        // A form works for every Web API method (JSON does not), so the untyped call always sends one.
        return PostForm(method, a, ct);
    }

    public async Task Respond(string responseUrl, MessageResponse message, CancellationToken ct = default)
    {
        if (!Uri.TryCreate(responseUrl, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
            throw new ArgumentException("response_url must be an absolute http(s) URL.", nameof(responseUrl));
        var body = new SlackArgs
        {
            { "response_type", message.ResponseType },
            { "text", message.Text },
            { "blocks", message.Blocks is null ? null : BlockLimits.ForMessage(message.Blocks) },
            { "replace_original", message.ReplaceOriginal },
            { "delete_original", message.DeleteOriginal },
        };
        var reply = await Send("response_url", url, authorize: false, channel: null, () => JsonBody(body), expectSlackJson: false, ct)
            .ConfigureAwait(false);
        // response_url answers {"ok":false,"error":"expired_url"} and the like, or sometimes plain "ok".
        if (reply is { ValueKind: JsonValueKind.Object } r && r.TryGetProperty("ok", out var ok) && ok.ValueKind == JsonValueKind.False)
            throw new SlackApiException("response_url", ErrorOf(r));
    }

    internal Task<JsonElement> PostForm(string method, SlackArgs args, CancellationToken ct) =>
        SendApi(method, args.GetString("channel") ?? args.GetString("channel_id"),
            () => new FormUrlEncodedContent(args.ToForm()), ct);

    /// <param name="repeatable">False: a 5xx or timeout (Slack may have performed the call) is not retried here.</param>
    /// <param name="landed">Asked after a 5xx or timeout, before retrying: the call's result if it was performed after all.</param>
    internal Task<JsonElement> PostJson(string method, SlackArgs args, CancellationToken ct, bool repeatable = true,
        Func<CancellationToken, Task<PostedMessage?>>? landed = null) =>
        SendApi(method, args.GetString("channel"), () => JsonBody(args), ct, repeatable, landed);

    /// <summary>A message with this idempotency key among the channel's recent messages (one page of history, newest
    /// first), or null.</summary>
    /// <remarks>Where the bot may post but not read (a public channel it is not in, with chat:write.public; a DM without
    /// im:history) there is nothing to look at: null, and the post goes ahead as an unkeyed one would.</remarks>
    internal async Task<PostedMessage?> FindPosted(string channel, string key, CancellationToken ct)
    {
        JsonElement page;
        try
        {
            page = await PostForm("conversations.history", new SlackArgs
            {
                { "channel", channel },
                { "limit", PostedKeys.LookBack },
                { "include_all_metadata", true },
            }, ct).ConfigureAwait(false);
        }
        catch (SlackApiException e) when (e.Error is "not_in_channel" or "channel_not_found" or "missing_scope" or "method_not_supported_for_channel_type")
        {
            _log.LogDebug("Cannot look for a keyed post in {Channel} ({Error}); posting without looking", channel, e.Error);
            return null;
        }
        if (!page.TryGetProperty("messages", out var messages) || messages.ValueKind != JsonValueKind.Array) return null;
        foreach (var m in messages.EnumerateArray())
            if (PostedKeys.KeyOf(m) == key && m.TryGetProperty("ts", out var ts) && ts.GetString() is { } t)
                return new PostedMessage(channel, t);
        return null;
    }

    /// <summary>POSTs raw bytes to a URL Slack handed out (files.getUploadURLExternal's upload_url).</summary>
    internal async Task PostBytes(string what, string url, ReadOnlyMemory<byte> content, CancellationToken ct)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
            throw new SlackApiException(what, "invalid_response", "upload_url is not an absolute URL");
        await Send(what, uri, authorize: false, channel: null, () =>
        {
            var c = new ReadOnlyMemoryContent(content);
            c.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            return c;
        }, expectSlackJson: false, ct).ConfigureAwait(false);
    }

    private static HttpContent JsonBody(SlackArgs args)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(args.ToDictionary(), SlackJson.Options);
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = JsonMediaType;
        return content;
    }

    private async Task<JsonElement> SendApi(string method, string? channel, Func<HttpContent> content, CancellationToken ct,
        bool repeatable = true, Func<CancellationToken, Task<PostedMessage?>>? landed = null)
    {
        var result = await Send(method, _slack.Value.MethodUrl(method), authorize: true, channel, content, expectSlackJson: true, ct,
                repeatable, landed)
            .ConfigureAwait(false);
        return result!.Value;
    }

    /// <summary>One call, counted by its final outcome (bot.slack.api.calls).</summary>
    private async Task<JsonElement?> Send(string method, Uri url, bool authorize, string? channel,
        Func<HttpContent> content, bool expectSlackJson, CancellationToken ct,
        bool repeatable = true, Func<CancellationToken, Task<PostedMessage?>>? landed = null)
    {
        try
        {
            var result = await SendWithRetries(method, url, authorize, channel, content, expectSlackJson, ct, repeatable, landed)
                .ConfigureAwait(false);
            _metrics?.ApiCall(method, "ok");
            return result;
        }
        catch (SlackApiException e)
        {
            _metrics?.ApiCall(method, e.Error);
            throw;
        }
    }

    private static bool NeverSent(Exception? cause) =>
        cause is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError };

    /// <summary>One call with pacing and retries. Returns Slack's JSON (expectSlackJson: ok:false throws), or for
    /// other endpoints the body when it is JSON and null otherwise.</summary>
    private async Task<JsonElement?> SendWithRetries(string method, Uri url, bool authorize, string? channel,
        Func<HttpContent> content, bool expectSlackJson, CancellationToken ct,
        bool repeatable = true, Func<CancellationToken, Task<PostedMessage?>>? landed = null)
    {
        var failures = 0;
        var limited = 0;
        while (true)
        {
            var paceStart = _time.GetTimestamp();
            if (authorize) await _limiter.Wait(method, channel, ct).ConfigureAwait(false);
            _metrics?.Paced(method, _time.GetElapsedTime(paceStart));

            TimeSpan wait;
            string failure;
            Exception? cause = null;
            using (var timeout = new CancellationTokenSource(_options.RequestTimeout, _time))
            using (var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token))
            {
                try
                {
                    using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content() };
                    if (authorize) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _slack.Value.BotToken);
                    using var response = await Http().SendAsync(request, linked.Token).ConfigureAwait(false);
                    var status = (int)response.StatusCode;

                    if (response.StatusCode == HttpStatusCode.TooManyRequests)
                    {
                        if (++limited > _options.MaxRateLimitedRetries)
                            throw new SlackApiException(method, "ratelimited", $"still rate limited after {limited - 1} retries");
                        wait = RetryAfter(response);
                        if (authorize) _limiter.Hold(method, channel, wait);
                        _metrics?.RateLimited(method, wait);
                        _log.LogWarning("Slack {Method} answered 429; retrying in {Delay} (retry {Retry} of {Max})",
                            method, wait, limited, _options.MaxRateLimitedRetries);
                        await Task.Delay(wait, _time, ct).ConfigureAwait(false);
                        continue;
                    }

                    if (status >= 500)
                    {
                        failure = $"http_{status}";
                    }
                    else if (!response.IsSuccessStatusCode)
                    {
                        // 4xx other than 429 will not get better by retrying (a wrong URL, a revoked response_url).
                        throw new SlackApiException(method, $"http_{status}");
                    }
                    else
                    {
                        var body = await response.Content.ReadAsByteArrayAsync(linked.Token).ConfigureAwait(false);
                        return Parse(method, body, expectSlackJson);
                    }
                }
                catch (HttpRequestException e) when (!ct.IsCancellationRequested)
                {
                    failure = "network_error";
                    cause = e;
                }
                catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
                {
                    failure = "timeout";
                    cause = e;
                }
            }

            // A 5xx or a timeout may come after Slack performed the call. Slack has no idempotency key: a call that
            // must not happen twice is either not repeated here (the caller finds out what exists) or repeated only
            // after looking for what it made (a keyed post). Unkeyed posts are retried: their callers keep "sent" markers.
            // A failure to connect (refused, no route, no DNS) never reached Slack: that is safe to repeat for any call.
            if (!repeatable && !NeverSent(cause))
                throw new SlackApiException(method, failure, "not repeated: Slack may have performed it", cause);
            if (++failures > _options.MaxRetries)
                throw new SlackApiException(method, failure, $"gave up after {failures} attempts", cause);
            if (landed is not null && await landed(ct).ConfigureAwait(false) is { } found)
            {
                _log.LogWarning("Slack {Method} failed ({Failure}) after performing it; found its result, not repeating it", method, failure);
                return JsonSerializer.SerializeToElement(new { ok = true, channel = found.Channel, ts = found.Ts });
            }
            wait = Backoff(failures);
            // One line, no stack trace: the cause is a network failure or Slack's 5xx, not a bug to debug here.
            if (cause is null)
                _log.LogWarning("Slack {Method} failed ({Failure}); retry {Retry} of {Max} in {Delay}",
                    method, failure, failures, _options.MaxRetries, wait);
            else
                _log.LogWarning("Slack unreachable at {Host} for {Method} ({Failure}: {Cause}); retry {Retry} of {Max} in {Delay}",
                    url.Authority, method, failure,
                    failure == "timeout" ? $"no answer within {_options.RequestTimeout}" : cause.GetBaseException().Message, failures, _options.MaxRetries, wait);
            await Task.Delay(wait, _time, ct).ConfigureAwait(false);
        }
    }

    private JsonElement? Parse(string method, byte[] body, bool expectSlackJson)
    {
        JsonElement root;
        try
        {
            using var doc = JsonDocument.Parse(body);
            root = doc.RootElement.Clone();
        }
        catch (JsonException)
        {
            if (!expectSlackJson) return null;
            throw new SlackApiException(method, "invalid_response", "the answer was not JSON");
        }
        if (!expectSlackJson) return root;

        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("ok", out var ok))
            throw new SlackApiException(method, "invalid_response", "the answer has no \"ok\" field");
        if (ok.ValueKind != JsonValueKind.True)
            throw new SlackApiException(method, ErrorOf(root), DetailOf(root));
        if (root.TryGetProperty("warning", out var warning) && warning.ValueKind == JsonValueKind.String && warning.GetString() is { Length: > 0 } w)
            _log.LogDebug("Slack {Method} warned: {Warning}", method, w);
        return root;
    }

    private static string ErrorOf(JsonElement root) =>
        root.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String && e.GetString() is { Length: > 0 } s ? s : "unknown_error";

    /// <summary>What Slack adds to an error: the missing scope, or response_metadata.messages for invalid_arguments.</summary>
    private static string? DetailOf(JsonElement root)
    {
        var parts = new List<string>();
        if (root.TryGetProperty("needed", out var needed) && needed.ValueKind == JsonValueKind.String && needed.GetString() is { Length: > 0 } n)
            parts.Add("needed: " + n);
        if (root.TryGetProperty("response_metadata", out var meta) && meta.ValueKind == JsonValueKind.Object
            && meta.TryGetProperty("messages", out var messages) && messages.ValueKind == JsonValueKind.Array)
            parts.AddRange(messages.EnumerateArray().Where(m => m.ValueKind == JsonValueKind.String).Select(m => m.GetString()!));
        return parts.Count == 0 ? null : string.Join("; ", parts);
    }

    private TimeSpan RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        TimeSpan wait = header switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - _time.GetUtcNow(),
            _ => _options.DefaultRetryAfter,
        };
        if (wait < TimeSpan.Zero) wait = TimeSpan.Zero;
        return wait > _options.MaxRetryAfter ? _options.MaxRetryAfter : wait;
    }

    private TimeSpan Backoff(int failures)
    {
        var factor = Math.Pow(2, Math.Min(failures - 1, 20));
        var wait = TimeSpan.FromTicks((long)Math.Min(_options.InitialBackoff.Ticks * factor, _options.MaxBackoff.Ticks));
        return wait;
    }

    private HttpClient Http()
    {
        var client = _httpFactory.CreateClient(HttpClientName);
        // Our own per-attempt timeout (on TimeProvider) governs; the client's must not cut it short.
        client.Timeout = Timeout.InfiniteTimeSpan;
        return client;
    }
}
