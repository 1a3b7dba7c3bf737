using Bot.Incidents;
using Bot.Slack.Testing;
using Bot.Tests.Infrastructure;

namespace Bot.Tests.EndToEnd;

/// <summary>/incident over real HTTP into the app, with PostgreSQL and the fake Slack.</summary>
public sealed class IncidentCommandTests(IncidentWorld world) : IClassFixture<IncidentWorld>
{
    [Fact]
    public async Task New_OpensChannelInvitesReporterPinsKickoffAndAnnounces()
    {
        var team = "T" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        var reply = await world.Command("new Checkout latency spike sev2", IncidentWorld.Ada, world.General.Id, team);

        Assert.Equal(200, reply.Status);
        Assert.Equal("ephemeral", reply.ResponseType);
        var today = DateTime.UtcNow.ToString("yyyyMMdd");
        Assert.Contains($"Opening #inc-{today}-checkout-latency-spike", reply.Text);

        var opened = await world.WaitUntilOpened(1, team);
        var channel = world.Slack.Channel(opened.ChannelId)!;
        Assert.Equal($"inc-{today}-checkout-latency-spike", channel.Name);
        Assert.Contains(IncidentWorld.Ada, channel.Members);
        Assert.Contains("Checkout latency spike", channel.Topic);
        Assert.Contains(channel.Pins, p => p.MessageTs == opened.KickoffTs);
        var kickoff = Assert.Single(world.Slack.Messages(channel.Id), m => m.Ts == opened.KickoffTs);
        Assert.Contains(":eyes:", kickoff.Blocks!.ToJsonString());
        Assert.Contains(Usage.Status, kickoff.Blocks!.ToJsonString());
        Assert.Contains(world.Slack.Messages(world.Announcements.Id), m => m.Text!.Contains($"<#{channel.Id}>"));
        Assert.Contains(world.Slack.Messages(world.General.Id), m => m.Text!.Contains($"<#{channel.Id}>"));
        var told = await world.Slack.WaitForResponse(reply.ResponseUrl, r => r.Body?["text"]?.ToString().Contains("is ready") == true);
        Assert.Equal("ephemeral", told.Body!["response_type"]!.ToString());
    }

    [Fact]
    public async Task OpenJob_FailingMidway_ResumesWithoutASecondChannelOrPost()
    {
        var team = "T" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        world.Slack.FailNext("pins.add", Failure.Error("internal_error"));
        await world.Command("new Flaky pins", IncidentWorld.Ada, world.General.Id, team);

        var opened = await world.WaitUntilOpened(1, team);
        Assert.Single(world.Slack.CallsTo("conversations.create"), c => c.Arg("name")!.Contains("flaky-pins"));
        Assert.Single(world.Slack.Messages(opened.ChannelId), m => m.Subtype is null && m.BotId is not null);
        Assert.Equal(2, world.Slack.CallsTo("pins.add").Count(c => c.Arg("channel") == opened.ChannelId));
        Assert.Contains(world.Slack.Channel(opened.ChannelId)!.Pins, p => p.MessageTs == opened.KickoffTs);
    }

    [Fact]
    public async Task ChannelCommands_RecordChangesAndAnnounceThemInChannel()
    {
        var team = "T" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        await world.Command("new Queue backlog", IncidentWorld.Ada, world.General.Id, team);
        var incident = await world.WaitUntilOpened(1, team);
        var channel = incident.ChannelId;

        var commander = await world.Command("commander <@U0BOB|bob>", IncidentWorld.Ada, channel, team);
        Assert.Equal("in_channel", commander.ResponseType);
        Assert.Contains("<@U0BOB> is now the incident commander", commander.Text);
        var again = await world.Command("commander <@U0BOB|bob>", IncidentWorld.Ada, channel, team);
        Assert.Equal("ephemeral", again.ResponseType);

        var severity = await world.Command("severity SEV2", IncidentWorld.Bob, channel, team);
        Assert.Contains("*sev2*", severity.Text);
        var note = await world.Command("note <!here> restarted workers &amp; drained <!subteam^S0DBA|@dba>", IncidentWorld.Bob, channel, team);
        Assert.Equal("in_channel", note.ResponseType);
        Assert.Contains("@here restarted workers &amp; drained @dba", note.Text);
        var link = await world.Command("link Queue dashboard <https://grafana.example/q|grafana.example/q>", IncidentWorld.Bob, channel, team);
        Assert.Contains("<https://grafana.example/q|Queue dashboard>", link.Text);

        await Poll.Until(() => Task.FromResult(world.Slack.Channel(channel)!.Topic), t => t.Contains("sev2"), what: "the topic to show sev2");
        Assert.Equal("U0BOB|sev2", await world.Scalar<string>("select commander_id || '|' || severity from incidents where id = @Id", new { incident.Id }));
        Assert.Equal("Queue dashboard", await world.Scalar<string>(
            "select label from incident_links where incident_id = @Id and url = 'https://grafana.example/q'", new { incident.Id }));
        Assert.Equal("opened,commander,severity,note,link", await world.Scalar<string>(
            "select string_agg(kind, ',' order by occurred_at, id) from timeline_entries where incident_id = @Id", new { incident.Id }));
    }

    [Fact]
    public async Task New_NumbersPerWorkspace_AndSuffixesTakenNames()
    {
        var team = "T" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        await world.Command("new Same name", IncidentWorld.Bob, world.General.Id, team);
        await world.Command("new Same name", IncidentWorld.Bob, world.General.Id, team);

        var first = await world.WaitUntilOpened(1, team);
        var second = await world.WaitUntilOpened(2, team);
        var names = new[] { first.ChannelName, second.ChannelName };
        var today = DateTime.UtcNow.ToString("yyyyMMdd");
        Assert.Contains($"inc-{today}-same-name", names);
        Assert.Contains(names, n => n.StartsWith($"inc-{today}-same-name-", StringComparison.Ordinal));
        Assert.NotEqual(first.ChannelId, second.ChannelId);
    }

    // Slack sends what the user typed with &, <, > as entities, and a real @channel as <!channel>.
    [Theory]
    [InlineData("&lt;!channel&gt; everything is on fire", "&lt;!channel&gt; everything is on fire")]
    [InlineData("<!channel> everything is on fire", "@channel everything is on fire")]
    public async Task New_TitleWithChannelMention_PingsNobody(string typed, string shown)
    {
        var team = "T" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        var reply = await world.Command("new " + typed, IncidentWorld.Cat, world.General.Id, team);
        Assert.DoesNotContain("<!channel>", reply.Text);

        var opened = await world.WaitUntilOpened(1, team);
        var posts = world.Slack.CallsTo("chat.postMessage")
            .Select(c => (Channel: c.Arg("channel"), Text: (c.Arg("text") ?? "") + (c.Arg("blocks") ?? "")))
            .Where(c => c.Channel == opened.ChannelId || c.Text.Contains($"<#{opened.ChannelId}>"))
            .Select(c => c.Text)
            .ToList();
        Assert.NotEmpty(posts);
        Assert.All(posts, t =>
        {
            Assert.Contains(shown, t);
            Assert.DoesNotContain("<!channel>", t);
        });
    }

    public static TheoryData<string, string> BadCommands => new()
    {
        { "commander", Usage.Commander },
        { "commander bob", Usage.Commander },
        { "role scribe", Usage.Role },
        { "status fixed", Usage.Status },
        { "severity sev9", Usage.Severity },
        { "note", Usage.Note },
        { "link grafana", Usage.Link },
        { "timeline now", Usage.Timeline },
    };

    [Theory]
    [MemberData(nameof(BadCommands))]
    public async Task BadCommand_GetsItsUsageLine_Ephemerally(string text, string usage)
    {
        var reply = await world.Command(text, IncidentWorld.Bob, world.General.Id);
        Assert.Equal(200, reply.Status);
        Assert.Equal("ephemeral", reply.ResponseType);
        Assert.Contains($"`{usage}`", reply.Text);
    }

    [Theory]
    [InlineData("")]
    [InlineData("help")]
    [InlineData("frobnicate now")]
    public async Task HelpOrUnknownVerb_ListsEveryCommand_Ephemerally(string text)
    {
        var reply = await world.Command(text, IncidentWorld.Bob, world.General.Id);
        Assert.Equal(200, reply.Status);
        Assert.Equal("ephemeral", reply.ResponseType);
        Assert.All(Usage.All, usage => Assert.Contains($"`{usage}`", reply.Text));
        if (text.StartsWith("frobnicate")) Assert.StartsWith("I don't know `frobnicate`.", reply.Text);
    }

    [Fact]
    public async Task ChannelCommand_OutsideIncidentChannel_SaysSo()
    {
        var reply = await world.Command("status identified", IncidentWorld.Bob, world.General.Id);
        Assert.Equal("ephemeral", reply.ResponseType);
        Assert.Contains("incident channel", reply.Text);
    }

    [Fact]
    public async Task Commander_WithGroupMention_IsRefusedByName()
    {
        var reply = await world.Command("commander <!subteam^S0DBA|@dba>", IncidentWorld.Bob, world.General.Id);
        Assert.StartsWith("@dba is a user group, not a user.", reply.Text);
    }

    [Fact]
    public async Task New_WithoutTitle_OpensModal_AndSubmissionOpensIncident()
    {
        var team = "T" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        var reply = await world.Command("new", IncidentWorld.Ada, world.General.Id, team);
        Assert.Equal(200, reply.Status);
        var call = await world.Slack.WaitForCall("views.open");
        Assert.Contains(NewIncidentModal.CallbackId, call.Arg("view"));

        using var submitted = await world.Interaction(new
        {
            type = "view_submission",
            team = new { id = team, domain = "test" },
            user = new { id = IncidentWorld.Ada, name = "ada" },
            api_app_id = "A0TEST",
            view = new
            {
                id = "V0NEW", team_id = team, type = "modal", callback_id = NewIncidentModal.CallbackId,
                private_metadata = world.General.Id,
                state = new
                {
                    values = new Dictionary<string, object>
                    {
                        ["title"] = new { title = new { type = "plain_text_input", value = "Search is slow" } },
                        ["severity"] = new { severity = new { type = "static_select", selected_option = new { value = "sev3" } } },
                        ["description"] = new { description = new { type = "plain_text_input", value = "p99 at 4s" } },
                    },
                },
            },
        });
        Assert.Equal(200, (int)submitted.StatusCode);

        var opened = await world.WaitUntilOpened(1, team);
        Assert.EndsWith("-search-is-slow", opened.ChannelName);
        Assert.Equal("sev3", await world.Scalar<string>("select severity from incidents where id = @Id", new { opened.Id }));
        // Opened from a modal there is no response_url: the reporter hears about it in a DM.
        await Poll.Until(() => Task.FromResult(world.Slack.CallsTo("chat.postMessage").Any(c => c.Arg("text")?.Contains($"<#{opened.ChannelId}>") == true
            && c.Arg("channel")?.StartsWith('D') == true)), ok => ok, what: "the reporter's DM");
    }
}
