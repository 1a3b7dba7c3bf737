namespace Bot.Slack.Tests;

public class SlackOptionsTests
{
    [Fact]
    public void SocketMode_IsChosen_WhenAnAppTokenIsSet()
    {
        Assert.False(new SlackOptions().UseSocketMode);
        Assert.True(new SlackOptions { AppToken = "xapp-1-test" }.UseSocketMode);
    }
}
