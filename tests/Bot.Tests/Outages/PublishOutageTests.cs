using System.Text;
using Bot.Slack.Testing;
using Bot.Tests.Infrastructure;
using Bot.Tests.Publishing;
using Xunit.Abstractions;
using static Bot.Tests.Postmortems.PostmortemWorld;

namespace Bot.Tests.Outages;

/// <summary>/postmortem publish while Slack fails: every step (announcement, incident channel, stakeholder DMs, email)
/// reaches its audience once. PublishWorld's client tries each call once, so each 5xx fails the job and Hangfire's
/// retry (made instant by <see cref="RetryClock"/>) is what rides the outage out.</summary>
public sealed class PublishOutageTests(PublishWorld world, ITestOutputHelper output) : IClassFixture<PublishWorld>
{
    private const int AllSteps = 9;

    private FakeSlack Slack => world.Slack;

    private Task WaitForAllSteps(Incident incident) =>
        Poll.Until(() => Scalar<long>(world.ConnectionString,
                "select count(*) from postmortem_sends where incident_id = @Id and kind like 'publish%' and sent_at is not null", new { incident.Id }),
            n => n == AllSteps, TimeSpan.FromSeconds(60), "every publish step");

    private IReadOnlyList<FakeMessage> Summaries(string channel, Incident incident) =>
        Slack.Messages(channel).Where(m => m.Text is { } t && t.StartsWith("Post-mortem of incident #", StringComparison.Ordinal)
                                           && t.EndsWith(": " + incident.Title, StringComparison.Ordinal)).ToList();

    private IReadOnlyList<string> Files(string channel, Incident incident) =>
        Slack.Messages(channel).SelectMany(m => m.FileIds).Select(id => Slack.File(id))
            .Where(f => f is { Content: not null } && f.Name.EndsWith(".md", StringComparison.Ordinal) && (f.Title ?? "").EndsWith(incident.Title, StringComparison.Ordinal))
            .Select(f => Encoding.UTF8.GetString(f!.Content!)).ToList();

    private IReadOnlyList<FakeMessage> PublishedDms(string user, Incident incident) =>
        world.World.Dms(user, incident.Title).Where(m => m.Text!.Contains("is published", StringComparison.Ordinal)).ToList();

    private void EachOnce(Incident incident)
    {
        foreach (var channel in new[] { world.Announce.Id, incident.ChannelId })
        {
            Assert.Single(Summaries(channel, incident));
            Assert.Single(Files(channel, incident));
        }
        foreach (var user in new[] { PublishWorld.Pam, PublishWorld.Dan })
        {
            Assert.Single(PublishedDms(user, incident));
            Assert.Single(Files(world.World.DmChannel(user)!, incident));
        }
        Assert.Single(world.Smtp.Messages, m => (m.Message.Subject ?? "").Contains(incident.Title, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Publish_Through500sOnEveryPostAndUpload_ReachesEveryoneOnce()
    {
        var incident = await world.World.Resolved(world.App, world.ConnectionString, "Publish outage");
        var faultsBefore = Slack.OutageFaults;
        Slack.StartOutage(Failure.ServerError(500), calls: 5,
            methods: ["chat.postMessage", "conversations.open", "files.getUploadURLExternal", "files.completeUploadExternal"]);
        await using var clock = RetryClock.Start(world.App, world.ConnectionString);
        var reply = await world.Publish(incident, Ada, "--force");
        Assert.Equal(200, reply.Status);

        await WaitForAllSteps(incident);
        await JobsDone(world.App, world.ConnectionString, "Bot.Publishing");
        Assert.Equal(5, Slack.OutageFaults - faultsBefore);
        Assert.True(clock.Retries >= 1, "no job met the outage");
        EachOnce(incident);
        output.WriteLine($"faults injected 5, Hangfire retries {clock.Retries}; summaries 2, files 4, stakeholder DMs 2, emails 1 (each once)");
    }

    [Fact]
    public async Task Publish_SummaryPostedButTheAnswerLost_TheRetryFindsIt_NotPostedTwice()
    {
        var incident = await world.World.Resolved(world.App, world.ConnectionString, "Publish lost answer");
        // Slack posts the summary into the incident channel, and the answer is a 502.
        Slack.StartOutage(Failure.AppliedThen(Failure.ServerError(502)),
            (method, args) => method == "chat.postMessage" && args.Str("channel") == incident.ChannelId, calls: 1);
        await using var clock = RetryClock.Start(world.App, world.ConnectionString);
        await world.Publish(incident, Ada, "--force");

        await WaitForAllSteps(incident);
        await JobsDone(world.App, world.ConnectionString, "Bot.Publishing");
        var posts = Slack.CallsTo("chat.postMessage").Where(c => c.Arg("channel") == incident.ChannelId && (c.Arg("text") ?? "").StartsWith("Post-mortem of incident #")).ToList();
        Assert.True(Assert.Single(posts).Lost);
        Assert.True(clock.Retries >= 1); // the channel job failed, and its retry found the post instead of posting again
        EachOnce(incident);
        output.WriteLine($"faults injected 1 (applied, answer lost), Hangfire retries {clock.Retries}; incident-channel summary posts {posts.Count}");
    }
}
