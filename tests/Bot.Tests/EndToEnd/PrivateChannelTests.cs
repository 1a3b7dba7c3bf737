using static Bot.Tests.EndToEnd.IncidentWorld;

namespace Bot.Tests.EndToEnd;

/// <summary>A workspace that keeps incidents private, with its own channel prefix.</summary>
public sealed class PrivateIncidentWorld : IncidentWorld
{
    protected override IReadOnlyDictionary<string, string?> ExtraSettings { get; } = new Dictionary<string, string?>
    {
        ["Bot:Incidents:PrivateChannels"] = "true",
        ["Bot:Incidents:ChannelPrefix"] = "sev",
    };
}

public sealed class PrivateChannelTests(PrivateIncidentWorld world) : IClassFixture<PrivateIncidentWorld>
{
    [Fact]
    public async Task New_WithPrivateOption_CreatesAPrivateChannelWithTheConfiguredPrefix()
    {
        var reply = await world.Command("new Secrets leaked", Ada, world.General.Id);
        Assert.Contains("Opening #sev-", reply.Text);

        var opened = await world.WaitUntilOpened(1);
        var channel = world.Slack.Channel(opened.ChannelId)!;
        Assert.True(channel.IsPrivate);
        Assert.StartsWith("sev-", channel.Name);
        Assert.EndsWith("-secrets-leaked", channel.Name);
        Assert.Contains(Ada, channel.Members);
    }
}
