using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Bot.Tests.Infrastructure;

namespace Bot.Tests.Hosting;

public class DashboardTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task Dashboard_IsOffByDefault()
    {
        await using var app = await BotApp.Start(postgres.ConnectionString, "http://127.0.0.1:9/api/");

        var response = await app.Http.GetAsync("/hangfire");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("ok", await app.Http.GetStringAsync("/healthz"));
    }

    [Fact]
    public async Task Dashboard_WhenOn_AsksForThePassword()
    {
        await using var app = await BotApp.Start(postgres.ConnectionString, "http://127.0.0.1:9/api/", new Dictionary<string, string?>
        {
            ["Bot:Hangfire:Dashboard"] = "true",
            ["Bot:Hangfire:DashboardUser"] = "ops",
            ["Bot:Hangfire:DashboardPassword"] = "open sesame",
        });

        var anonymous = await app.Http.GetAsync("/hangfire");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Contains("Basic", anonymous.Headers.WwwAuthenticate.ToString());

        var wrong = new HttpRequestMessage(HttpMethod.Get, "/hangfire");
        wrong.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("ops:guess")));
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Http.SendAsync(wrong)).StatusCode);

        var right = new HttpRequestMessage(HttpMethod.Get, "/hangfire");
        right.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("ops:open sesame")));
        var ok = await app.Http.SendAsync(right);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Contains("Hangfire", await ok.Content.ReadAsStringAsync());
    }
}
