using System.Net;
using System.Text.Json.Nodes;
using Bot.Slack.Testing;
using Bot.Slack.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Bot.Slack.Tests;

/// <summary>The driver that plays Slack towards an app, against a stand-in app that checks what arrives.</summary>
public class SlackAppDriverTests : IAsyncLifetime
{
    private const string Secret = "8f742231b10e8888abcd99yyyzzz85a5";
    private FakeSlack _slack = null!;
    private WebApplication _app = null!;
    private string _appUrl = "";
    private readonly List<(string Path, string Body, bool SignatureValid, string? RetryNum)> _received = [];

    public async Task InitializeAsync()
    {
        _slack = await FakeSlack.StartAsync();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.MapPost("/slack/{endpoint}", async (HttpContext ctx, string endpoint) =>
        {
            var body = await new StreamReader(ctx.Request.Body).ReadToEndAsync();
            var timestamp = long.Parse(ctx.Request.Headers["X-Slack-Request-Timestamp"].ToString());
            var valid = SlackAppDriver.Sign(Secret, timestamp, body) == ctx.Request.Headers["X-Slack-Signature"].ToString();
            lock (_received) _received.Add((endpoint, body, valid, ctx.Request.Headers["X-Slack-Retry-Num"].FirstOrDefault()));
            return endpoint == "commands" ? Results.Json(new { response_type = "ephemeral", text = "Opening" }) : Results.Ok();
        });
        await _app.StartAsync();
        _appUrl = _app.Urls.First();
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _slack.DisposeAsync();
    }

    [Fact]
    public async Task SlashCommand_OverHttp_IsSignedForm_WithTheFakesResponseUrlAndTrigger()
    {
        _slack.AddUser("U1", "ana");
        var channel = _slack.AddChannel("general");

        var reply = await _slack.OverHttp(_appUrl, Secret).SlashCommand("/incident", "new db down", "U1", channel.Id);

        var (path, body, valid, _) = _received.Single();
        var form = System.Web.HttpUtility.ParseQueryString(body);
        Assert.Equal("commands", path);
        Assert.True(valid);
        Assert.Equal("/incident", form["command"]);
        Assert.Equal("general", form["channel_name"]);
        Assert.Equal(reply.ResponseUrl, form["response_url"]);
        Assert.StartsWith(_slack.BaseUrl, reply.ResponseUrl);
        Assert.Equal(200, reply.HttpStatus);
        Assert.Equal("Opening", reply.Body!["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task UserMessage_IsStoredInTheFake_AndDeliveredAsAnEvent_WithRetryHeadersOnRetries()
    {
        var channel = _slack.AddChannel("inc-1", members: ["U1"]);
        var driver = _slack.OverHttp(_appUrl, Secret);

        var (message, reply) = await driver.UserMessage(channel.Id, "U1", "deploy rolled back");
        await driver.Event(new JsonObject { ["type"] = "app_home_opened", ["user"] = "U1" }, eventId: "Ev1", retryNum: 1);

        var delivered = JsonNode.Parse(_received[0].Body)!;
        Assert.Equal(200, reply.HttpStatus);
        Assert.Equal("event_callback", delivered["type"]!.GetValue<string>());
        Assert.Equal(message.Ts, delivered["event"]!["ts"]!.GetValue<string>());
        Assert.Equal("deploy rolled back", _slack.Messages(channel.Id).Single().Text);
        Assert.Null(_received[0].RetryNum);
        Assert.Equal("1", _received[1].RetryNum);
        Assert.All(_received, r => Assert.True(r.SignatureValid));
    }

    [Fact]
    public async Task Interactions_OverSocketMode_ReturnTheAckPayload()
    {
        var (socket, _) = await RawSocketMode.Connect(_slack);
        using var __ = socket;
        var view = new FakeView { Id = "V1", Type = "modal", Definition = new JsonObject { ["callback_id"] = "declare" } };

        var submitting = _slack.OverSocketMode().ViewSubmission("U1", view, new JsonObject
        {
            ["title"] = new JsonObject { ["value"] = new JsonObject { ["type"] = "plain_text_input", ["value"] = "DB down" } },
        });
        var envelope = await RawSocketMode.Receive(socket);
        await RawSocketMode.Send(socket, new JsonObject
        {
            ["envelope_id"] = envelope["envelope_id"]!.GetValue<string>(),
            ["payload"] = new JsonObject { ["response_action"] = "clear" },
        }.ToJsonString());
        var reply = await submitting;

        Assert.Equal("interactive", envelope["type"]!.GetValue<string>());
        Assert.True(envelope["accepts_response_payload"]!.GetValue<bool>());
        Assert.Equal("DB down", envelope["payload"]!["view"]!["state"]!["values"]!["title"]!["value"]!["value"]!.GetValue<string>());
        Assert.Equal("declare", envelope["payload"]!["view"]!["callback_id"]!.GetValue<string>());
        Assert.Null(reply.HttpStatus);
        Assert.Equal("clear", reply.Body!["response_action"]!.GetValue<string>());
    }

    [Fact]
    public async Task TheBotsOwnActions_AreEchoedToTheApp_AsSlackWould()
    {
        _slack.AddUser("U1", "ana");
        var channel = _slack.AddChannel("inc-2");
        _slack.DeliverEventsTo(_slack.OverHttp(_appUrl, Secret));
        using var http = new HttpClient();
        async Task Call(string method, Dictionary<string, string> args)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, _slack.ApiUrl + method) { Content = new FormUrlEncodedContent(args) };
            request.Headers.Authorization = new("Bearer", _slack.BotToken);
            using var response = await http.SendAsync(request);
        }

        await Call("chat.postMessage", new() { ["channel"] = channel.Id, ["text"] = "kickoff" });
        await Call("conversations.invite", new() { ["channel"] = channel.Id, ["users"] = "U1" });
        var joined = await _slack.WaitForDeliveredEvent(e => e["type"]!.GetValue<string>() == "member_joined_channel");

        var events = _slack.DeliveredEvents.Select(d => d.Event).ToList();
        Assert.Equal(_slack.BotId, events[0]["bot_id"]!.GetValue<string>());
        Assert.Equal("kickoff", events[0]["text"]!.GetValue<string>());
        Assert.Equal("channel_join", events[1]["subtype"]!.GetValue<string>());
        Assert.Equal("U1", joined.Event["user"]!.GetValue<string>());
        Assert.All(_slack.DeliveredEvents, d => Assert.Equal(200, d.Reply!.HttpStatus));
        Assert.Equal(["kickoff", "<@U1> has joined the channel"], _slack.History(channel.Id).Select(m => m.Text));
        Assert.Equal(["kickoff"], _slack.Messages(channel.Id).Select(m => m.Text));
    }
}
