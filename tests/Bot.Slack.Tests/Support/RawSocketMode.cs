using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Bot.Slack.Testing;

namespace Bot.Slack.Tests.Support;

/// <summary>Socket Mode from the app's side with a plain ClientWebSocket, for tests of the fake itself
/// (the bot's own client is tested separately): open a ticket, read and write whole text frames.</summary>
public static class RawSocketMode
{
    /// <summary>A receive that waits longer fails the test instead of hanging it.</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private static readonly HttpClient Http = new();

    /// <summary>apps.connections.open with the given token, as sent (the fake's answer, ok or not).</summary>
    public static async Task<JsonObject> OpenConnection(FakeSlack slack, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, slack.ApiUrl + "apps.connections.open")
        {
            Content = new FormUrlEncodedContent([]),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await Http.SendAsync(request);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    /// <summary>A fresh wss URL for the app token.</summary>
    public static async Task<string> OpenUrl(FakeSlack slack) =>
        (await OpenConnection(slack, slack.AppToken))["url"]!.GetValue<string>();

    /// <summary>A connected socket and the hello frame it was greeted with.</summary>
    public static async Task<(ClientWebSocket Socket, JsonObject Hello)> Connect(FakeSlack slack)
    {
        var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri(await OpenUrl(slack)), CancellationToken.None);
        return (socket, await Receive(socket));
    }

    /// <summary>The next whole text frame, parsed; throws once <see cref="Deadline"/> passes.</summary>
    public static async Task<JsonObject> Receive(ClientWebSocket socket)
    {
        using var cts = new CancellationTokenSource(Deadline);
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        WebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer, cts.Token);
            message.Write(buffer, 0, result.Count);
        } while (!result.EndOfMessage);
        return JsonNode.Parse(Encoding.UTF8.GetString(message.ToArray()))!.AsObject();
    }

    public static Task Send(ClientWebSocket socket, string text) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);
}
