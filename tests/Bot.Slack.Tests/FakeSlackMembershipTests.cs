using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Bot.Slack.Testing;

namespace Bot.Slack.Tests;

/// <summary>Slack's membership and scope rules in the fake: a bot token with the scopes an app asked for.</summary>
public sealed class FakeSlackMembershipTests : IAsyncLifetime
{
    private static readonly string[] Scopes = ["chat:write", "channels:manage", "channels:read", "pins:write", "users:read"];
    private FakeSlack _slack = null!;
    private readonly HttpClient _http = new();

    public async Task InitializeAsync() => _slack = await FakeSlack.StartAsync(new FakeSlackOptions { BotScopes = Scopes });

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _slack.DisposeAsync();
    }

    private async Task<(JsonObject Body, HttpResponseMessage Response)> Call(string method, object args, FakeSlack? slack = null)
    {
        slack ??= _slack;
        using var request = new HttpRequestMessage(HttpMethod.Post, slack.ApiUrl + method) { Content = JsonContent.Create(args) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", slack.BotToken);
        var response = await _http.SendAsync(request);
        return (JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject(), response);
    }

    private async Task<string?> Error(string method, object args, FakeSlack? slack = null) =>
        (await Call(method, args, slack)).Body["error"]?.GetValue<string>();

    [Fact]
    public async Task PostMessage_InAPublicChannelTheBotIsNotIn_IsNotInChannel_WithoutChatWritePublic()
    {
        var announcements = _slack.AddChannel("announcements", botIsMember: false, members: ["U1"]);
        var joined = _slack.AddChannel("joined");

        Assert.Equal("not_in_channel", await Error("chat.postMessage", new { channel = announcements.Id, text = "hi" }));
        Assert.Null(await Error("chat.postMessage", new { channel = joined.Id, text = "hi" }));
        Assert.Empty(_slack.Messages(announcements.Id));

        await using var withPublic = await FakeSlack.StartAsync(new FakeSlackOptions { BotScopes = [.. Scopes, FakeSlack.ChatWritePublic] });
        var open = withPublic.AddChannel("announcements", botIsMember: false);
        Assert.Null(await Error("chat.postMessage", new { channel = open.Id, text = "hi" }, withPublic));
        Assert.Single(withPublic.Messages(open.Id));
    }

    [Fact]
    public async Task PrivateChannelTheBotIsNotIn_IsNotFound_ForEveryChannelMethod_EvenWithChatWritePublic()
    {
        await using var slack = await FakeSlack.StartAsync(new FakeSlackOptions { BotScopes = null });
        var secret = slack.AddChannel("secret", isPrivate: true, botIsMember: false, members: ["U1"]);
        var message = slack.AddMessage(secret.Id, "U1", "psst");

        Assert.Equal("channel_not_found", await Error("chat.postMessage", new { channel = secret.Id, text = "hi" }, slack));
        Assert.Equal("channel_not_found", await Error("pins.add", new { channel = secret.Id, timestamp = message.Ts }, slack));
        Assert.Equal("channel_not_found", await Error("pins.remove", new { channel = secret.Id, timestamp = message.Ts }, slack));
        Assert.Equal("channel_not_found", await Error("chat.update", new { channel = secret.Id, ts = message.Ts, text = "x" }, slack));
        Assert.Equal("channel_not_found", await Error("conversations.setTopic", new { channel = secret.Id, topic = "x" }, slack));
        Assert.Equal("channel_not_found", await Error("conversations.invite", new { channel = secret.Id, users = "U1" }, slack));
        Assert.Equal("channel_not_found", await Error("reactions.add", new { channel = secret.Id, timestamp = message.Ts, name = "eyes" }, slack));
    }

    [Fact]
    public async Task PinsInAPublicChannelTheBotIsNotIn_AreNotInChannel()
    {
        var other = _slack.AddChannel("other", botIsMember: false, members: ["U1"]);
        var message = _slack.AddMessage(other.Id, "U1", "pin me");

        Assert.Equal("not_in_channel", await Error("pins.add", new { channel = other.Id, timestamp = message.Ts }));
        Assert.Equal("not_in_channel", await Error("pins.remove", new { channel = other.Id, timestamp = message.Ts }));
    }

    [Fact]
    public async Task AMethodWhoseScopeWasNotGranted_IsMissingScope_WithNeededAndProvided()
    {
        var general = _slack.AddChannel("general");
        var message = _slack.AddMessage(general.Id, "U1", "hello");

        var (reaction, response) = await Call("reactions.add", new { channel = general.Id, timestamp = message.Ts, name = "eyes" });
        var history = await Error("conversations.history", new { channel = general.Id });
        var privateChannel = await Error("conversations.create", new { name = "inc-secret", is_private = true });
        var publicChannel = await Error("conversations.create", new { name = "inc-open" });
        var list = await Error("conversations.list", new { types = "public_channel,private_channel" });

        Assert.Equal("missing_scope", reaction["error"]!.GetValue<string>());
        Assert.Equal("reactions:write", reaction["needed"]!.GetValue<string>());
        Assert.Equal(string.Join(",", Scopes), reaction["provided"]!.GetValue<string>());
        Assert.Equal(string.Join(",", Scopes), response.Headers.GetValues("x-oauth-scopes").Single());
        Assert.Empty(message.Reactions);
        Assert.Equal("missing_scope", history);
        Assert.Equal("missing_scope", privateChannel);
        Assert.Null(publicChannel);
        Assert.Equal("missing_scope", list);
        Assert.Null(_slack.Channel("inc-secret"));
    }

    [Fact]
    public async Task DirectMessages_NeedImWrite()
    {
        _slack.AddUser("U1", "ana");

        Assert.Equal("missing_scope", await Error("conversations.open", new { users = "U1" }));

        await using var withIm = await FakeSlack.StartAsync(new FakeSlackOptions { BotScopes = [.. Scopes, "im:write"] });
        withIm.AddUser("U1", "ana");
        Assert.Null(await Error("conversations.open", new { users = "U1" }, withIm));
    }
}
