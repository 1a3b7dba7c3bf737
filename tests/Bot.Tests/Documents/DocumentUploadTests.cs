using System.Text;
using Bot.Rendering;
using Bot.Tests.Infrastructure;
using Bot.Tests.Postmortems;
using Microsoft.Extensions.DependencyInjection;
using static Bot.Tests.Postmortems.PostmortemWorld;

namespace Bot.Tests.Documents;

/// <summary>The whole document read in Slack: capture in the fake Slack → resolve → the Markdown file in the DM, with
/// real names ("Real Name (Title)") and mentions resolved; /postmortem preview the same, in the caller's zone.</summary>
public sealed class DocumentUploadTests(PostmortemWorld world) : IClassFixture<PostmortemWorld>
{
    private const string Group = "S0DBAS";

    [Fact]
    public async Task Resolve_UploadsTheFullDocument_ToThePointPersonsDm_WithRealNamesAndResolvedMentions()
    {
        world.Slack.AddUserGroup(Group, "dba", "Database admins", Cat);
        var incident = await world.OpenWithActivity(world.App, world.ConnectionString, "Doc upload");
        var ts = $"{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}.{Random.Shared.Next(100000, 999999)}";
        // As Slack stores it: mentions as ids, & < > as entities.
        await world.Event(world.App, new
        {
            type = "message", channel = incident.ChannelId, channel_type = "channel", user = Bob, ts, event_ts = ts,
            text = $"<@{Cat}> the db &amp; cache, ask <!subteam^{Group}> &lt;now&gt;",
        });
        await world.Event(world.App, new
        {
            type = "reaction_added", user = Cat, reaction = "key", item_user = Bob, event_ts = ts + "1",
            item = new { type = "message", channel = incident.ChannelId, ts },
        });
        await Poll.Until(() => Scalar<long>(world.ConnectionString, "select count(*) from timeline_reactions where incident_id = @Id", new { incident.Id }),
            n => n == 2, what: "the :key: mark");

        var resolved = await world.Command(world.App, "/incident", "resolve Failover fixed it", Ada, incident.ChannelId, incident.Team);
        Assert.Equal("in_channel", resolved.ResponseType);

        var file = await Poll.Until(() => Task.FromResult(Files(Ada, incident.Title).FirstOrDefault()), f => f is not null,
            TimeSpan.FromSeconds(30), "the document in Ada's DM");
        Assert.StartsWith($"# Post-mortem: {incident.Title}", file);
        Assert.Contains("- Ada Lovelace (SRE): incident commander", file);
        Assert.Contains("- Bob Hope (Backend): participant", file);
        Assert.Contains("Bob Hope: @Cat Stevens the db & cache, ask @dba \\<now\\>", file);
        Assert.Contains("- Bob Hope at ", file); // the :key: message as a key point
        Assert.Contains("Ada Lovelace resolved the incident at ", file);
        Assert.Contains("Timezone: Europe/Berlin", file);
        Assert.DoesNotContain("&amp;", file);
        Assert.DoesNotContain("<@U", file);
        Assert.Contains("```mermaid", file);

        // The DM itself carries the summary, not a cut-off copy of the document.
        var dm = Assert.Single(world.Dms(Ada, incident.Title));
        var blocks = BlocksText(dm);
        Assert.Contains("*Key points*", blocks);
        Assert.DoesNotContain("```", blocks);

        // Hangfire may run the job again: nothing is uploaded twice.
        var id = await Scalar<Guid>(world.ConnectionString, "select id from document_uploads where incident_id = @Id and reason = 'prep'", new { incident.Id });
        using (var scope = world.App.Services.CreateScope())
            await scope.ServiceProvider.GetRequiredService<DocumentUploadJob>().Run(id, default);
        Assert.Single(Files(Ada, incident.Title));
    }

    [Fact]
    public async Task Preview_AnswersWithTheSummary_AndUploadsTheDocument_InTheCallersZone()
    {
        var incident = await world.Resolved(world.App, world.ConnectionString, "Doc preview");

        var reply = await world.Command(world.App, "/postmortem", "preview", Bob, incident.ChannelId, incident.Team);

        Assert.Equal(200, reply.Status);
        Assert.Equal("ephemeral", reply.ResponseType);
        var blocks = reply.Body!["blocks"]!.ToJsonString();
        Assert.Contains("on its way to your DM", blocks);
        Assert.Contains("Still empty", blocks);
        var file = await Poll.Until(() => Task.FromResult(Files(Bob, incident.Title).FirstOrDefault()), f => f is not null,
            TimeSpan.FromSeconds(30), "the document in Bob's DM");
        Assert.Contains("Timezone: America/New_York", file);
        Assert.Contains("Bob Hope: Checkout returns 502", file);
        var upload = world.Slack.CallsTo("files.completeUploadExternal").Last(c => c.Ok && c.Arg("channel_id") == world.DmChannel(Bob));
        Assert.Contains(".md", world.Slack.CallsTo("files.getUploadURLExternal").Last().Arg("filename"));
        Assert.NotNull(upload);
    }

    /// <summary>The text of Markdown files uploaded into the user's DM whose content mentions <paramref name="containing"/>.</summary>
    private List<string> Files(string user, string containing)
    {
        var dm = world.DmChannel(user);
        return world.Slack.CallsTo("files.completeUploadExternal")
            .Where(c => c.Ok && c.Arg("channel_id") == dm)
            .SelectMany(c => c.JsonArg("files")!.AsArray().Select(f => f!["id"]!.ToString()))
            .Select(id => world.Slack.File(id) is { Name: var name, Content: { } bytes } && name.EndsWith(".md", StringComparison.Ordinal) ? Encoding.UTF8.GetString(bytes) : "")
            .Where(text => text.Contains(containing, StringComparison.Ordinal))
            .ToList();
    }
}
