using System.Globalization;
using System.Text.Json;
using Bot.Slack.Diagnostics;
using Bot.Slack.Dispatch;
using Bot.Slack.Handlers;
using Bot.Slack.Parsing;
using Bot.Slack.Signing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bot.Slack.Http;

/// <summary>The three Slack HTTP endpoints: read the raw body (capped), verify the signature, parse, dispatch,
/// answer. Nothing here answers 500: bad input is 4xx with a short reason, work that could not be stored or queued
/// is 503 (Slack retries events; for an interaction the user sees Slack's error and can click again), anything
/// unexpected is logged and acked.</summary>
internal sealed class SlackHttpHandler(
    SlackSignatureVerifier verifier,
    SlackDispatcher dispatcher,
    IOptions<SlackOptions> options,
    ILogger<SlackHttpHandler> log,
    SlackMetrics metrics)
{
    public Task Events(HttpContext http) => Handle(http, "events", async body =>
    {
        var parsed = SlackParser.ParseEventsBody(body);
        switch (parsed.Type)
        {
            case EventsApiBody.UrlVerification:
                return Results.Text(parsed.Challenge, "text/plain");
            case EventsApiBody.EventCallbackType:
                var context = EventContext.For(parsed.Callback!, RetryNum(http.Request),
                    Header(http.Request, "X-Slack-Retry-Reason"), SlackTransport.Http);
                return ToResult(await dispatcher.HandleEvent(context, body));
            default:
                log.LogDebug("Ignoring Events API request of type {Type}", parsed.Type);
                return Results.Ok();
        }
    });

    public Task Commands(HttpContext http) => Handle(http, "commands", async body =>
        ToResult(await dispatcher.HandleSlashCommand(SlackParser.ParseSlashCommandForm(body))));

    public Task Interactivity(HttpContext http) => Handle(http, "interactivity", async body =>
    {
        var payload = SlackParser.ParseInteractionForm(body, out var json);
        return ToResult(await dispatcher.HandleInteraction(payload, json, SlackTransport.Http));
    });

    private async Task Handle(HttpContext http, string endpoint, Func<byte[], Task<IResult>> process)
    {
        var received = TimeProvider.System.GetTimestamp();
        IResult result;
        try
        {
            var body = await ReadBody(http.Request, options.Value.MaxBodyBytes, http.RequestAborted);
            if (body is null)
            {
                log.LogWarning("Slack {Endpoint} request body larger than {Max} bytes rejected", endpoint, options.Value.MaxBodyBytes);
                metrics.Refused("too_large");
                result = Results.Text("request body too large", "text/plain", statusCode: StatusCodes.Status413PayloadTooLarge);
            }
            else
            {
                var check = verifier.Verify(Header(http.Request, SlackSignatureVerifier.TimestampHeader),
                    Header(http.Request, SlackSignatureVerifier.SignatureHeader), body);
                if (check != SignatureCheck.Valid)
                {
                    log.LogWarning("Slack {Endpoint} request rejected: signature {Check}", endpoint, check);
                    metrics.Refused("signature");
                    result = Results.StatusCode(StatusCodes.Status401Unauthorized);
                }
                else
                {
                    result = await process(body);
                }
            }
        }
        catch (SlackParseException ex)
        {
            log.LogInformation("Malformed Slack {Endpoint} request: {Reason}", endpoint, ex.Message);
            metrics.Refused("malformed");
            result = Results.Text(ex.Message, "text/plain", statusCode: StatusCodes.Status400BadRequest);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            return; // the client went away; there is no one to answer
        }
        catch (BadHttpRequestException ex)
        {
            result = Results.Text("bad request", "text/plain", statusCode: ex.StatusCode);
        }
        catch (Exception ex)
        {
            // A bug of ours: Slack retrying would hit it again, so ack and keep the evidence in the log.
            log.LogError(ex, "Unexpected failure handling a Slack {Endpoint} request", endpoint);
            result = Results.Ok();
        }
        await result.ExecuteAsync(http);
        metrics.Acked("http", TimeProvider.System.GetElapsedTime(received));
    }

    private static IResult ToResult(SlackAck ack) => !ack.Accepted ? Busy()
        : ack.Body is null ? Results.Ok()
        : Results.Bytes(JsonSerializer.SerializeToUtf8Bytes(ack.Body, ack.Body.GetType(), SlackJson.Options), "application/json");

    private static IResult Busy() => Results.Text("busy, retry later", "text/plain", statusCode: StatusCodes.Status503ServiceUnavailable);

    /// <summary>The raw body, or null when it exceeds max. Read whole because the signature covers its exact bytes.</summary>
    private static async Task<byte[]?> ReadBody(HttpRequest request, long max, CancellationToken ct)
    {
        if (request.ContentLength > max) return null;
        var buffer = new byte[Math.Max(16, request.ContentLength is { } known ? (int)known : 8192)];
        var length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                if (length >= max)
                {
                    // One more byte decides whether the body is exactly max or larger.
                    var probe = new byte[1];
                    if (await request.Body.ReadAsync(probe, ct) > 0) return null;
                    break;
                }
                Array.Resize(ref buffer, (int)Math.Min(max, buffer.Length * 2L));
            }
            var read = await request.Body.ReadAsync(buffer.AsMemory(length), ct);
            if (read == 0) break;
            length += read;
        }
        if (length > max) return null;
        return length == buffer.Length ? buffer : buffer[..length];
    }

    private static string? Header(HttpRequest request, string name) =>
        request.Headers.TryGetValue(name, out var v) ? v.ToString() : null;

    private static int? RetryNum(HttpRequest request) =>
        int.TryParse(Header(request, "X-Slack-Retry-Num"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
}
