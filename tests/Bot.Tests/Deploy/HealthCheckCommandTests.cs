using Bot.Hosting;
using Bot.Tests.EndToEnd;

namespace Bot.Tests.Deploy;

/// <summary>The container's HEALTHCHECK command against the real app, and against nothing.</summary>
public sealed class HealthCheckCommandTests(IncidentWorld world) : IClassFixture<IncidentWorld>
{
    [Fact]
    public async Task Healthcheck_ExitsZero_WhenTheBotAnswersHealthz()
    {
        var error = new StringWriter();
        Assert.Equal(0, await HealthCheckCommand.RunAsync([HealthCheckCommand.Name, new Uri(world.App.BaseAddress, "/healthz").ToString()], error));
        Assert.Equal("", error.ToString());
    }

    [Fact]
    public async Task Healthcheck_ExitsOne_WhenNothingAnswers_OrThePathIsWrong()
    {
        // A port that was just free: nothing listens there.
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var error = new StringWriter();
        Assert.Equal(1, await HealthCheckCommand.RunAsync([HealthCheckCommand.Name, $"http://127.0.0.1:{port}/healthz"], error));
        Assert.Contains("did not answer", error.ToString());

        Assert.Equal(1, await HealthCheckCommand.RunAsync([HealthCheckCommand.Name, new Uri(world.App.BaseAddress, "/no-such-path").ToString()], error));
        Assert.Contains("answered 404", error.ToString());
        Assert.Equal(1, await HealthCheckCommand.RunAsync([HealthCheckCommand.Name, "not a url"], error));
    }
}
