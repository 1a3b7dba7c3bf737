using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Bot.Slack.Events;
using Bot.Slack.Handlers;
using Bot.Slack.Tests.Support;

namespace Bot.Slack.Tests.Http;

/// <summary>Signed requests over real HTTP into a minimal app on loopback.</summary>
public class SlackHttpEndpointTests
{
    private static readonly string MessageEventJson = EventJson.Message("Ev42");

    [Fact]
    public async Task UrlVerification_AnswersTheChallenge()
    {
        await using var app = await SlackTestApp.Start(_ => { });
        var response = await app.PostEvent(Samples.Text("events/python-slack-events-api/url_challenge.json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("valid_challenge_token", await response.Content.ReadAsStringAsync());
        Assert.Equal("text/plain", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Event_IsAckedBeforeItsHandlerFinishes_AndCarriesRetryHeaders()
    {
        await using var app = await SlackTestApp.Start(b => b
            .AddEventHandler<MessageEvent, GatedMessageHandler>()
            .AddEventHandler<MessageEvent, MessageRecorder>());

        var clock = Stopwatch.StartNew();
        var response = await app.PostEvent(MessageEventJson, r =>
        {
            r.Headers.Add("X-Slack-Retry-Num", "2");
            r.Headers.Add("X-Slack-Retry-Reason", "http_timeout");
        });
        clock.Stop();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("", await response.Content.ReadAsStringAsync());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"ack took {clock.Elapsed}");
        Assert.Equal(0, app.Probe.Count("gated-done"));

        app.Probe.Gate.SetResult();
        await Poll.Until(() => app.Probe.Count("message") == 1, "the handler after the gate");
        Assert.Equal(1, app.Probe.Count("gated-done"));
        var (context, _) = ((EventContext, Guid))app.Probe.Single("message").Extra!;
        Assert.Equal(("Ev42", "T1", "A1", 1700000000L), (context.EventId, context.TeamId, context.ApiAppId, context.EventTime));
        Assert.Equal((2, "http_timeout", SlackTransport.Http), (context.RetryNum, context.RetryReason, context.Transport));
        Assert.Equal("hello", ((MessageEvent)context.Envelope.Event).Text);
    }

    [Fact]
    public async Task EverySampleEnvelope_IsAccepted()
    {
        await using var app = await SlackTestApp.Start(b => b.AddEventHandler<SlackEvent, EverythingRecorder>());
        var samples = Samples.Under("events/java-json-logs-shapes").ToList();
        foreach (var file in samples)
        {
            // The skeletons leave type blank; Slack sends event_callback.
            var json = System.Text.Json.Nodes.JsonNode.Parse(Samples.Text(file))!;
            json["type"] = "event_callback";
            var response = await app.PostEvent(json.ToJsonString());
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        await Poll.Until(() => app.Probe.Count("any") == samples.Count, "every sample handled");
    }

    [Fact]
    public async Task SlashCommand_FinishingInTime_IsAnsweredInline()
    {
        await using var app = await SlackTestApp.Start(b => b.AddSlashCommand<EchoCommand>(EchoCommand.Command));
        var response = await app.PostCommand("/echo", "status <b>");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(("ephemeral", "echo: status <b>"), (json.GetProperty("response_type").GetString(), json.GetProperty("text").GetString()));
        Assert.False(json.TryGetProperty("blocks", out _));
        Assert.Equal("U1", ((Bot.Slack.Interactivity.SlashCommand)app.Probe.Single("echo").Input).UserId);
    }

    [Fact]
    public async Task SlowSlashCommand_AcksEmpty_ThenRepliesThroughResponseUrl()
    {
        await using var app = await SlackTestApp.Start(b => b.AddSlashCommand<SlowCommand>(SlowCommand.Command),
            o => o.AckDeadline = TimeSpan.FromMilliseconds(200));

        var response = await app.PostCommand("/slow", "", "https://hooks.example/commands/T1/9/abc");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("", await response.Content.ReadAsStringAsync());
        Assert.Empty(app.SlackApi.Responses);

        app.Probe.Gate.SetResult();
        await Poll.Until(() => app.SlackApi.Responses.Count == 1, "the late reply");
        var (url, message) = Assert.Single(app.SlackApi.Responses);
        Assert.Equal(("https://hooks.example/commands/T1/9/abc", "in_channel", "finished late"), (url, message.ResponseType, message.Text));
    }

    [Fact]
    public async Task ViewSubmission_ErrorsAreTheHttpBody()
    {
        await using var app = await SlackTestApp.Start(b => b.AddViewSubmission<FormSubmission>(FormSubmission.CallbackId));
        var response = await app.PostInteraction("""{"type":"view_submission","team":{"id":"T1"},"user":{"id":"U1"},"view":{"id":"V1","callback_id":"form","state":{"values":{"title":{"title_input":{"type":"plain_text_input","value":""}}}}}}""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("errors", json.GetProperty("response_action").GetString());
        Assert.Equal("A title is required", json.GetProperty("errors").GetProperty("title").GetString());
    }

    [Fact]
    public async Task Replies_CarryTheirBlocksAndViews()
    {
        await using var app = await SlackTestApp.Start(b => b
            .AddViewSubmission<NextStepSubmission>(NextStepSubmission.CallbackId)
            .AddSlashCommand<BlocksCommand>(BlocksCommand.Command));

        var update = JsonDocument.Parse(await (await app.PostInteraction(
            """{"type":"view_submission","view":{"id":"V1","callback_id":"step1","state":{"values":{}}}}""")).Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("update", update.GetProperty("response_action").GetString());
        var view = update.GetProperty("view");
        Assert.Equal(("modal", "step2", "Step 2"), (view.GetProperty("type").GetString(), view.GetProperty("callback_id").GetString(),
            view.GetProperty("title").GetProperty("text").GetString()));
        Assert.Equal("*Almost* done", view.GetProperty("blocks")[0].GetProperty("text").GetProperty("text").GetString());
        Assert.False(update.TryGetProperty("errors", out _));

        var reply = JsonDocument.Parse(await (await app.PostCommand("/blocks", "")).Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(("in_channel", "fallback"), (reply.GetProperty("response_type").GetString(), reply.GetProperty("text").GetString()));
        Assert.Equal(["header", "section"], reply.GetProperty("blocks").EnumerateArray().Select(b => b.GetProperty("type").GetString()));
    }

    [Fact]
    public async Task BlockAction_IsAckedEmpty_AndHandledAfter()
    {
        await using var app = await SlackTestApp.Start(b => b.AddBlockAction<ButtonHandler>(ButtonHandler.ActionId));
        // The block_actions payload from the Socket Mode sample, with its button routed to our handler.
        var envelope = System.Text.Json.Nodes.JsonNode.Parse(Samples.Text("socketmode/java-EnvelopeTest.interactive.json"))!;
        envelope["payload"]!["actions"]![0]!["action_id"] = ButtonHandler.ActionId;
        var response = await app.PostInteraction(envelope["payload"]!.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("", await response.Content.ReadAsStringAsync());
        await Poll.Until(() => app.Probe.Count("button") == 1, "the button handler");
        Assert.Equal("underlying", ((Bot.Slack.Interactivity.BlockAction)app.Probe.Single("button").Input).Value);
    }

    [Fact]
    public async Task UnknownTypes_AreAcked()
    {
        await using var app = await SlackTestApp.Start(_ => { });
        Assert.Equal(HttpStatusCode.OK, (await app.PostEvent("""{"type":"app_rate_limited","minute_rate_limited":1}""")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.PostInteraction("""{"type":"block_suggestion"}""")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.PostCommand("/unknown", "x")).StatusCode);
    }

    [Fact]
    public async Task BodyOverTheCap_Is413()
    {
        await using var app = await SlackTestApp.Start(_ => { });
        var big = new byte[1024 * 1024 + 1];
        Array.Fill(big, (byte)'a');
        var response = await app.PostSigned("/slack/events", big, "application/json");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task ChunkedBodyOverTheCap_Is413()
    {
        await using var app = await SlackTestApp.Start(_ => { }, o => o.MaxBodyBytes = 1000);
        var request = new HttpRequestMessage(HttpMethod.Post, "/slack/events")
        {
            Content = new StreamContent(new MemoryStream(new byte[5000])),
        };
        request.Headers.TransferEncodingChunked = true;
        var response = await app.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Theory]
    [InlineData("/slack/events", "application/json", "{not json", "body is not valid JSON")]
    [InlineData("/slack/events", "application/json", """{"type":"event_callback"}""", "event_callback without an event object")]
    [InlineData("/slack/commands", "application/x-www-form-urlencoded", "text=no+command", "slash command form has no command")]
    [InlineData("/slack/interactivity", "application/x-www-form-urlencoded", "nopayload=1", "form has no payload field")]
    [InlineData("/slack/interactivity", "application/x-www-form-urlencoded", "payload=%5B1%5D", "payload is not a JSON object")]
    public async Task MalformedSignedInput_Is400WithAReason(string path, string contentType, string body, string reason)
    {
        await using var app = await SlackTestApp.Start(_ => { });
        var response = await app.PostSigned(path, body, contentType);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(reason, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task BadSignatures_Are401WithEmptyBody()
    {
        await using var app = await SlackTestApp.Start(b => b.AddEventHandler<SlackEvent, EverythingRecorder>());
        var wrongSecret = await app.PostSigned("/slack/events", MessageEventJson, "application/json", secret: "other");
        var stale = await app.PostSigned("/slack/events", MessageEventJson, "application/json", at: DateTimeOffset.UtcNow.AddMinutes(-6));
        var future = await app.PostSigned("/slack/events", MessageEventJson, "application/json", at: DateTimeOffset.UtcNow.AddMinutes(6));
        var unsigned = await app.Client.PostAsync("/slack/commands", new StringContent("command=%2Fecho"));
        var tampered = await app.PostSigned("/slack/events", MessageEventJson, "application/json",
            r => r.Content = new StringContent(MessageEventJson.Replace("hello", "HELLO"), null, "application/json"));

        foreach (var response in new[] { wrongSecret, stale, future, unsigned, tampered })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("", await response.Content.ReadAsStringAsync());
        }
        Assert.Equal(0, app.Probe.Count("any"));
    }
}
