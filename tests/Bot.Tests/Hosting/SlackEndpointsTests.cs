using System.Net;
using System.Text;
using Bot.Slack.Testing;
using Bot.Tests.Infrastructure;

namespace Bot.Tests.Hosting;

/// <summary>The host wires the Slack layer, and BotApp's signed requests are what it accepts.</summary>
public sealed class SlackEndpointsTests(PostgresFixture postgres) : AppOnFakeSlack(postgres)
{
    [Fact]
    public async Task UrlVerification_IsAnsweredWithTheChallenge()
    {
        var response = await App.PostEvent("""{"token":"t","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task SignedEvent_IsAcknowledged_AndABadSignatureIsNot()
    {
        var body = App.EventEnvelope(new { type = "message", channel = "C0OTHER", user = "U1", text = "hi", ts = "1700000000.000100" });

        Assert.Equal(HttpStatusCode.OK, (await App.PostEvent(body)).StatusCode);

        var forged = App.Signed("/slack/events", body, "application/json");
        forged.Content = new StringContent(body.Replace("hi", "ho"), Encoding.UTF8, "application/json");
        Assert.Equal(HttpStatusCode.Unauthorized, (await App.Http.SendAsync(forged)).StatusCode);
    }

    [Fact]
    public async Task StaleRequest_IsRefused()
    {
        App.Clock = () => DateTimeOffset.UtcNow.AddMinutes(-10);
        try
        {
            var response = await App.PostEvent(App.EventEnvelope(new { type = "message", channel = "C1", user = "U1", text = "x", ts = "1.2" }));
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
        finally
        {
            App.Clock = () => DateTimeOffset.UtcNow;
        }
    }
}
