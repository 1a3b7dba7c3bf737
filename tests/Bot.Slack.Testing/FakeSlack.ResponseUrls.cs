using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Bot.Slack.Testing;

// response_url endpoints: what slash commands and interactions carry for delayed replies.
public sealed partial class FakeSlack
{
    /// <summary>Slack lets a response_url be used 5 times within 30 minutes.</summary>
    private const int ResponseUrlUses = 5;
    private static readonly TimeSpan ResponseUrlLifetime = TimeSpan.FromMinutes(30);

    private readonly Dictionary<string, ResponseUrlContext> _responseUrls = new(StringComparer.Ordinal);

    /// <summary>Where a response_url's replies go: the channel and user of the command or interaction, and the
    /// message an interaction came from (for replace_original / delete_original).</summary>
    private sealed record ResponseUrlContext(DateTimeOffset Issued, string? ChannelId, string? UserId, string? MessageTs);
    private readonly List<RecordedResponse> _responses = [];

    /// <summary>A fresh response_url on the fake, to put into a slash command or interaction payload. With a
    /// channel (and user, and the message an interaction came from), replies act as at Slack: in_channel posts into
    /// the channel, ephemeral (the default) shows to the user only, replace_original / delete_original change the
    /// message. Every body is recorded either way (<see cref="ResponsesTo"/>).</summary>
    public string ResponseUrl(string? channelId = null, string? userId = null, string? messageTs = null)
    {
        var id = Guid.NewGuid().ToString("N");
        lock (_gate) _responseUrls[id] = new ResponseUrlContext(_time.GetUtcNow(), channelId, userId, messageTs);
        return $"{BaseUrl}response/{id}";
    }

    /// <summary>Bodies posted to the URL so far (also rejected ones; see HttpStatus).</summary>
    /// <summary>Everything posted to any response_url.</summary>
    public IReadOnlyList<RecordedResponse> Responses
    {
        get { lock (_gate) return [.. _responses]; }
    }

    public IReadOnlyList<RecordedResponse> ResponsesTo(string url)
    {
        lock (_gate) return _responses.Where(r => r.Url == url).ToList();
    }

    public Task<RecordedResponse> WaitForResponse(string url, Func<RecordedResponse, bool>? predicate = null, TimeSpan? timeout = null) =>
        WaitUntil(
            () => ResponsesTo(url).FirstOrDefault(r => predicate?.Invoke(r) ?? true),
            timeout,
            () => $"No matching response to {url}. Got: {string.Join(" | ", ResponsesTo(url).Select(r => r.Body?.ToJsonString()))}");

    private async Task HandleResponseUrl(HttpContext ctx, string id)
    {
        var url = $"{BaseUrl}response/{id}";
        using var reader = new StreamReader(ctx.Request.Body);
        var text = await reader.ReadToEndAsync();
        JsonNode? body = null;
        string? error = null;
        try
        {
            body = JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            error = "invalid_payload";
        }

        int status;
        lock (_gate)
        {
            var uses = _responses.Count(r => r.Url == url && r.HttpStatus == 200);
            if (!_responseUrls.TryGetValue(id, out var context)) (status, error) = (404, "no_such_url");
            else if (_time.GetUtcNow() - context.Issued > ResponseUrlLifetime) (status, error) = (404, "expired_url");
            else if (uses >= ResponseUrlUses) (status, error) = (404, "used_url");
            else if (error is not null) status = 400;
            else if (body is not JsonObject o || !(o.ContainsKey("text") || o.ContainsKey("blocks") || o.ContainsKey("attachments")
                         || o["delete_original"]?.ToString() is "true" or "True"))
                (status, error) = (400, "no_text");
            else
            {
                try
                {
                    ApplyResponse(context!, (JsonObject)body);
                    status = 200;
                }
                catch (SlackErrorException e)
                {
                    (status, error) = (400, e.Error);
                }
            }
            _responses.Add(new RecordedResponse(url, body, _time.GetUtcNow(), status));
        }
        Signal();
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "application/json";
        await ctx.Response.WriteAsync(error is null ? """{"ok":true}""" : $$"""{"ok":false,"error":"{{error}}"}""");
    }

    /// <summary>What a response_url reply does to the workspace (callers hold _gate).</summary>
    private void ApplyResponse(ResponseUrlContext context, JsonObject body)
    {
        if (context.ChannelId is null || FindChannel(context.ChannelId) is not { } channel) return;
        var args = new SlackArgs(body.ToDictionary(p => p.Key, p => System.Text.Json.JsonSerializer.SerializeToElement(p.Value)));
        var original = context.MessageTs is null ? null : channel.MessageList.FirstOrDefault(m => m.Ts == context.MessageTs);
        if (args.Bool("delete_original"))
        {
            if (original is not null) channel.MessageList.Remove(original);
            return;
        }
        var (text, blocks, attachments) = MessageContent(args, requireContent: true);
        if (args.Bool("replace_original") && original is not null)
        {
            original.Text = text;
            original.Blocks = blocks;
            original.Attachments = attachments;
            original.EditedTs = NextTs();
            return;
        }
        var message = new FakeMessage
        {
            Channel = channel.Id, Ts = NextTs(), User = BotUserId, BotId = BotId, Text = text, Blocks = blocks, Attachments = attachments,
            ThreadTs = args.Str("thread_ts"),
            EphemeralTo = args.Str("response_type") == "in_channel" ? null : context.UserId,
        };
        if (message.EphemeralTo is not null)
        {
            channel.EphemeralList.Add(message);
            return;
        }
        channel.MessageList.Add(message);
        EmitMessage(channel, message);
    }
}
