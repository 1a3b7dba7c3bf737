using Bot.Incidents;
using Bot.Slack.Testing;
using Bot.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using static Bot.Tests.EndToEnd.IncidentWorld;

namespace Bot.Tests.EndToEnd;

/// <summary>The announcement of a new incident in Bot:Incidents:AnnounceChannel, a channel nobody invited the bot to.</summary>
public sealed class AnnouncementTests(IncidentWorld world) : IClassFixture<IncidentWorld>
{
    [Fact]
    public async Task New_AnnouncesInAPublicChannelTheBotIsNotIn_AndTellsTheReporter()
    {
        var team = "T" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        var reply = await world.Command("new Payments declined sev1", Ada, world.General.Id, team);

        var opened = await world.WaitUntilOpened(1, team);
        Assert.DoesNotContain(world.Slack.BotUserId, world.Announcements.Members);
        Assert.Single(world.Slack.Messages(world.Announcements.Id), m => m.Text!.Contains($"<#{opened.ChannelId}>"));
        await world.Slack.WaitForResponse(reply.ResponseUrl, r => r.Body?["text"]?.ToString().Contains("is ready") == true);
    }
}

/// <summary>An announcement channel the bot cannot post to: a private channel it was not invited to.</summary>
public sealed class UnreachableAnnouncementWorld : IncidentWorld
{
    protected override FakeChannel CreateAnnouncements() => Slack.AddChannel("incidents-private", isPrivate: true, botIsMember: false, members: [Ada]);
}

public sealed class FailedAnnouncementTests(UnreachableAnnouncementWorld world) : IClassFixture<UnreachableAnnouncementWorld>
{
    [Fact]
    public async Task New_WhenTheAnnouncementFails_StillTellsTheReporter_AndLogsOneWarning()
    {
        var reply = await world.Command("new Search is slow", Ada, world.General.Id);

        var opened = await world.WaitUntilOpened(1);
        await world.Slack.WaitForResponse(reply.ResponseUrl, r => r.Body?["text"]?.ToString().Contains("is ready") == true);
        Assert.Empty(world.Slack.Messages(world.Announcements.Id));
        Assert.Single(world.Slack.CallsTo("chat.postMessage"), c => c.Arg("channel") == world.Announcements.Id);
        var warning = Assert.Single(world.Logs.Entries, e => e.Category == typeof(OpenIncidentChannelJob).FullName && e.Level >= LogLevel.Warning);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("channel_not_found", warning.Message);
        Assert.DoesNotContain("\n", warning.Message);
        Assert.True(await world.Scalar<bool>("select announced_at is not null from incidents where id = @Id", new { opened.Id }));
    }
}
