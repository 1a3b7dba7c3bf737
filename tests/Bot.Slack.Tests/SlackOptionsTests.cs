namespace Bot.Slack.Tests;

public class SlackOptionsTests
{
    [Fact]
    public void SocketMode_IsChosen_WhenAnAppTokenIsSet()
    {
        Assert.False(new SlackOptions().UseSocketMode);
        Assert.True(new SlackOptions { AppToken = "xapp-1-test" }.UseSocketMode);
    }

    [Theory]
    [InlineData("http://127.0.0.1:5000/api/")]
    [InlineData("http://127.0.0.1:5000/api")]
    public void MethodUrl_FollowsTheApiBase_WithOrWithoutItsSlash(string apiUrl) =>
        Assert.Equal("http://127.0.0.1:5000/api/apps.connections.open",
            new SlackOptions { ApiUrl = apiUrl }.MethodUrl("apps.connections.open").ToString());
}
