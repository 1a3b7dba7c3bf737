using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Runtime.InteropServices;
using Bot.Slack.Diagnostics;
using Bot.Slack.Dispatch;
using Bot.Slack.Events;
using Bot.Slack.Handlers;
using Bot.Slack.Parsing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bot.Slack.SocketMode;

/// <summary>apps.connections.open failed. RetryAfter: Slack said when to try again.</summary>
internal sealed class SocketModeOpenException(string error, TimeSpan? retryAfter = null)
    : Exception($"apps.connections.open failed: {error}")
{
    public string Error { get; } = error;
    public TimeSpan? RetryAfter { get; } = retryAfter;
}

/// <summary>Receives events over Socket Mode when SlackOptions.UseSocketMode (an xapp- token is set).
/// Opens a URL with apps.connections.open, keeps one WebSocket, acks every envelope, and hands envelopes to the
/// same <see cref="SlackDispatcher"/> as the HTTP endpoints. On a disconnect frame it opens the replacement
/// before closing the old socket; a dropped or stale socket is replaced with exponential backoff. It never
/// stops the host: every failure is logged and retried.</summary>
internal sealed class SocketModeClient(
    IOptions<SlackOptions> options,
    IHttpClientFactory httpClients,
    SlackDispatcher dispatcher,
    ILogger<SocketModeClient> log,
    SlackMetrics metrics,
    SocketModeStatus status) : BackgroundService
{
    public const string HttpClientName = "Bot.Slack.SocketMode";

    // Backoff waits on the network, not on the app's clock: a test that freezes the app's TimeProvider
    // (FakeTimeProvider) must not freeze reconnects.
    private static readonly TimeProvider Clock = TimeProvider.System;

    private int _connectionIds;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.UseSocketMode) return;
        try
        {
            await Run(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            log.LogCritical(ex, "Socket Mode client stopped unexpectedly; no more Slack events will arrive");
        }
    }

    private async Task Run(CancellationToken stopping)
    {
        var o = options.Value;
        var backoff = o.SocketModeInitialBackoff;
        SocketModeConnection? current = null;
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                if (current is null)
                {
                    try
                    {
                        current = await Connect(stopping).ConfigureAwait(false);
                        status.Set(true);
                        backoff = o.SocketModeInitialBackoff;
                    }
                    catch (Exception ex) when (!stopping.IsCancellationRequested)
                    {
                        var wait = ex is SocketModeOpenException { RetryAfter: { } after } && after > backoff ? after : backoff;
                        log.LogWarning("Socket Mode connect failed ({Reason}); retrying in {Wait}", Describe(ex), wait);
                        await Task.Delay(wait, Clock, stopping).ConfigureAwait(false);
                        backoff = Next(backoff);
                        continue;
                    }
                }

                var end = await current.Ended.WaitAsync(stopping).ConfigureAwait(false);
                status.Set(false);
                var old = current;
                current = null;
                if (end.Refresh)
                {
                    // Open the replacement first so no envelope finds the app without a socket.
                    try
                    {
                        current = await Connect(stopping).ConfigureAwait(false);
                        status.Set(true);
                    }
                    catch (Exception ex) when (!stopping.IsCancellationRequested)
                    {
                        log.LogWarning("Socket Mode reconnect after '{Reason}' failed ({Error}); retrying", end.Reason, Describe(ex));
                    }
                    _ = CloseQuietly(old);
                    if (current is null)
                    {
                        await Task.Delay(backoff, Clock, stopping).ConfigureAwait(false);
                        backoff = Next(backoff);
                    }
                }
                else
                {
                    log.LogWarning("Socket Mode connection {Id} lost ({Reason}); reconnecting in {Wait}", old.Id, end.Reason, backoff);
                    await CloseQuietly(old).ConfigureAwait(false);
                    await Task.Delay(backoff, Clock, stopping).ConfigureAwait(false);
                    backoff = Next(backoff);
                }
            }
        }
        finally
        {
            status.Set(false);
            if (current is not null) await CloseQuietly(current).ConfigureAwait(false);
        }
    }

    private TimeSpan Next(TimeSpan backoff)
    {
        var max = options.Value.SocketModeMaxBackoff;
        var doubled = backoff * 2;
        return doubled > max ? max : doubled;
    }

    private async Task CloseQuietly(SocketModeConnection connection)
    {
        try
        {
            await connection.Close(options.Value.SocketModeCloseTimeout).ConfigureAwait(false);
            await connection.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            log.LogDebug(ex, "Closing Socket Mode connection {Id} failed", connection.Id);
        }
    }

    /// <summary>A fresh URL, a connected socket, and Slack's hello (within the stale timeout).</summary>
    private async Task<SocketModeConnection> Connect(CancellationToken ct)
    {
        var o = options.Value;
        var url = await OpenUrl(ct).ConfigureAwait(false);
        var socket = new ClientWebSocket();
        // Ping every interval; a socket without a pong for the stale timeout is aborted, which ends the
        // receive loop and brings a reconnect (the official clients do the same at ~5 s / ~30 s).
        socket.Options.KeepAliveInterval = o.SocketModePingInterval;
        socket.Options.KeepAliveTimeout = o.SocketModeStaleTimeout;
        var connection = new SocketModeConnection(socket, Interlocked.Increment(ref _connectionIds), OnEnvelope, log);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(o.SocketModeStaleTimeout);
            await socket.ConnectAsync(url, timeout.Token).ConfigureAwait(false);
            connection.Start();
            // A disconnect frame right after (or even before) hello does not fail the connect: the caller's
            // loop sees it in Ended and refreshes as for any live connection. Only a dead socket does.
            await Task.WhenAny(connection.Hello, connection.Gone).WaitAsync(timeout.Token).ConfigureAwait(false);
            if (!connection.Hello.IsCompleted) throw new WebSocketException($"closed before hello: {connection.Gone.Result}");
            log.LogDebug("Socket Mode connection {Id} open", connection.Id);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task<Uri> OpenUrl(CancellationToken ct)
    {
        var o = options.Value;
        using var request = new HttpRequestMessage(HttpMethod.Post, o.MethodUrl("apps.connections.open"))
        {
            Content = new FormUrlEncodedContent([]),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", o.AppToken);
        using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, ct).ConfigureAwait(false);
        var retryAfter = response.Headers.RetryAfter?.Delta;
        if (response.StatusCode == HttpStatusCode.TooManyRequests) throw new SocketModeOpenException("ratelimited", retryAfter);
        if (!response.IsSuccessStatusCode) throw new SocketModeOpenException($"HTTP {(int)response.StatusCode}");
        var body = await response.Content.ReadFromJsonAsync<ConnectionsOpenResponse>(SlackJson.Options, ct).ConfigureAwait(false);
        if (body is null || !body.Ok) throw new SocketModeOpenException(body?.Error ?? "empty response", retryAfter);
        if (!Uri.TryCreate(body.Url, UriKind.Absolute, out var url) || url.Scheme is not ("wss" or "ws"))
            throw new SocketModeOpenException("no WebSocket URL in the response");
        return url;
    }

    /// <summary>One envelope: parse, dispatch, ack. Events and block actions are acked as soon as they are
    /// stored and queued; slash commands and view submissions carry their handler's reply in the ack when it is ready
    /// within the ack deadline. Work that could not be stored or queued withholds the ack so Slack redelivers.</summary>
    private async Task OnEnvelope(SocketModeFrame frame, SocketModeConnection connection)
    {
        using (frame)
        {
            var received = Clock.GetTimestamp();
            var envelopeId = frame.EnvelopeId;
            try
            {
                if (string.IsNullOrEmpty(envelopeId))
                {
                    log.LogWarning("Socket Mode frame of type {Type} without envelope_id ignored", frame.Type);
                    return;
                }
                if (frame.Payload is not { } payload)
                {
                    log.LogWarning("Socket Mode envelope {EnvelopeId} ({Type}) without payload; acking", envelopeId, frame.Type);
                    await connection.Ack(envelopeId, null).ConfigureAwait(false);
                    return;
                }

                SlackAck ack;
                switch (frame.Type)
                {
                    case SocketModeFrame.EventsApi:
                        var callback = SlackParser.ParseEventCallback(payload);
                        var context = EventContext.For(callback, frame.RetryAttempt, frame.RetryReason, SlackTransport.SocketMode);
                        ack = await dispatcher.HandleEvent(context, JsonMarshal.GetRawUtf8Value(payload).ToArray()).ConfigureAwait(false);
                        break;
                    case SocketModeFrame.SlashCommands:
                        ack = await dispatcher.HandleSlashCommand(SlackParser.ParseSlashCommand(payload)).ConfigureAwait(false);
                        break;
                    case SocketModeFrame.Interactive:
                        ack = await dispatcher.HandleInteraction(SlackParser.ParseInteraction(payload), payload.GetRawText(), SlackTransport.SocketMode).ConfigureAwait(false);
                        break;
                    default:
                        log.LogDebug("Socket Mode envelope type {Type} not handled; acking", frame.Type);
                        ack = SlackAck.Empty;
                        break;
                }
                if (!ack.Accepted) return;
                await connection.Ack(envelopeId, frame.AcceptsResponsePayload ? ack.Body : null).ConfigureAwait(false);
                metrics.Acked("socket_mode", Clock.GetElapsedTime(received));
            }
            catch (SlackParseException ex)
            {
                // Redelivery would bring the same bytes: ack so Slack stops, and keep the reason.
                log.LogWarning("Socket Mode envelope {EnvelopeId} ({Type}) malformed: {Reason}; acking", envelopeId, frame.Type, ex.Message);
                metrics.Refused("malformed");
                await TryAck(connection, envelopeId!).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                log.LogError(ex, "Socket Mode envelope {EnvelopeId} ({Type}) failed", envelopeId, frame.Type);
            }
        }
    }

    private async Task TryAck(SocketModeConnection connection, string envelopeId)
    {
        try
        {
            await connection.Ack(envelopeId, null).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            log.LogWarning("Socket Mode ack of {EnvelopeId} failed: {Reason}", envelopeId, ex.Message);
        }
    }

    private static string Describe(Exception ex) => ex switch
    {
        SocketModeOpenException open => open.Error,
        _ => ex.GetType().Name + ": " + ex.Message,
    };
}
