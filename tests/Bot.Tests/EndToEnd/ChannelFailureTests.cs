using System.Text.Json.Nodes;
using Bot.Incidents;
using Bot.Slack.Testing;
using Bot.Tests.Infrastructure;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using static Bot.Tests.EndToEnd.IncidentWorld;

namespace Bot.Tests.EndToEnd;

/// <summary>OpenIncidentChannelJob stopping for good: the reporter is told why (Slack's code, no stack trace) and
/// can retry, which resumes from the step markers, or cancel.</summary>
public sealed class ChannelFailureTests(IncidentWorld world) : IClassFixture<IncidentWorld>
{
    private static string NewTeam() => "TFAIL" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();

    [Fact]
    public async Task RefusedChannel_TellsTheReporterAtOnce_AndRetryOpensIt_Once()
    {
        var team = NewTeam();
        world.Slack.FailNext("conversations.create", Failure.Error("restricted_action"));
        var reply = await world.Command("new Orders stuck sev2", Ada, world.General.Id, team);

        var report = await world.Slack.WaitForResponse(reply.ResponseUrl, r => r.Body?["text"]?.ToString().Contains("could not open") == true);
        var text = report.Body!["text"]!.ToString();
        Assert.Contains("`restricted_action`", text);
        Assert.Contains("admin setting", text);
        Assert.DoesNotContain("Exception", text);
        Assert.DoesNotContain(" at Bot.", text);
        Assert.Equal("ephemeral", report.Body["response_type"]!.ToString());
        var id = await world.Scalar<long>("select id from incidents where team_id = @team", new { team });
        Assert.Equal("restricted_action", await world.Scalar<string>("select channel_error from incidents where id = @id", new { id }));
        // Not retried by Hangfire: the same refusal would come back for 40 minutes.
        Assert.Single(world.Slack.CallsTo("conversations.create"), c => c.Arg("name")!.Contains("orders-stuck"));

        var buttons = report.Body["blocks"]!.AsArray().Single(b => b!["type"]!.ToString() == "actions")!["elements"]!.AsArray();
        Assert.Equal([ChannelFailedMessage.RetryAction, ChannelFailedMessage.CancelAction], buttons.Select(b => b!["action_id"]!.ToString()));

        var click = world.Slack.ResponseUrl();
        using (var response = await world.Interaction(Click(team, Ada, ChannelFailedMessage.RetryAction, id, click)))
            Assert.Equal(200, (int)response.StatusCode);
        await world.Slack.WaitForResponse(click, r => r.Body?["text"]?.ToString().Contains("Trying incident #1 again") == true);
        var opened = await world.WaitUntilOpened(1, team);
        Assert.Contains(Ada, world.Slack.Channel(opened.ChannelId)!.Members);

        // The button again (Slack redelivers, people double-click): nothing more happens.
        var again = world.Slack.ResponseUrl();
        using (await world.Interaction(Click(team, Ada, ChannelFailedMessage.RetryAction, id, again))) { }
        await world.Slack.WaitForResponse(again, r => r.Body?["text"]?.ToString().Contains("not waiting") == true);
        Assert.Single(world.Slack.CallsTo("conversations.create"), c => c.Ok && c.Arg("name")!.Contains("orders-stuck"));
        Assert.Single(world.Slack.Messages(opened.ChannelId), m => m.BotId is not null);
    }

    [Fact]
    public async Task FailureAfterTheChannelExists_Cancel_ByTheReporterOnly_ClosesTheIncident()
    {
        var team = NewTeam();
        world.Slack.FailNext("pins.add", Failure.Error("restricted_action"));
        var reply = await world.Command("new Login loops", Ada, world.General.Id, team);
        await world.Slack.WaitForResponse(reply.ResponseUrl, r => r.Body?["text"]?.ToString().Contains("could not open") == true);
        var id = await world.Scalar<long>("select id from incidents where team_id = @team", new { team });

        var bobs = world.Slack.ResponseUrl();
        using (await world.Interaction(Click(team, Bob, ChannelFailedMessage.CancelAction, id, bobs))) { }
        await world.Slack.WaitForResponse(bobs, r => r.Body?["text"]?.ToString().Contains("only the reporter and commander (<@U0ADA>) can retry or cancel") == true);
        Assert.Equal("investigating", await world.Scalar<string>("select status from incidents where id = @id", new { id }));

        var adas = world.Slack.ResponseUrl();
        using (await world.Interaction(Click(team, Ada, ChannelFailedMessage.CancelAction, id, adas))) { }
        await world.Slack.WaitForResponse(adas, r => r.Body?["text"]?.ToString().Contains("is cancelled") == true);
        Assert.Equal("cancelled|true", await world.Scalar<string>(
            "select status || '|' || (resolved_at is not null and cancelled_at is not null) from incidents where id = @id", new { id }));
        Assert.Equal("cancelled", await world.Scalar<string>(
            "select data->>'to' from timeline_entries where incident_id = @id and kind = 'status'", new { id }));

        var late = world.Slack.ResponseUrl();
        using (await world.Interaction(Click(team, Ada, ChannelFailedMessage.RetryAction, id, late))) { }
        await world.Slack.WaitForResponse(late, r => r.Body?["text"]?.ToString().Contains("not waiting") == true);
    }

    [Fact]
    public async Task OpenedFromTheModal_TheFailureReachesTheReporterInADm_WithTheButtons()
    {
        var team = NewTeam();
        world.Slack.FailNext("conversations.create", Failure.Error("missing_scope"));
        using (var submitted = await world.Interaction(PrivacyChoiceTests.Submission(team, "Invoices late", ticked: false)))
            Assert.Equal(200, (int)submitted.StatusCode);

        var message = await Poll.Until(() => Task.FromResult(world.Slack.Channels.Where(c => c.IsIm && c.ImUser == Ada)
                .SelectMany(c => world.Slack.Messages(c.Id)).FirstOrDefault(m => m.Text!.Contains("Invoices late"))),
            m => m is not null, what: "the DM about the failure");
        Assert.Contains("`missing_scope`", message!.Text);
        Assert.Contains("reinstall it from slack-manifest.yml", message.Text);
        Assert.Contains(ChannelFailedMessage.RetryAction, message.Blocks!.ToJsonString());
    }

    [Fact]
    public async Task HomeTab_SaysTheChannelCouldNotBeOpened_InsteadOfBeingCreatedForever()
    {
        world.Slack.FailNext("conversations.create", Failure.Error("restricted_action"));
        var reply = await world.Command("new Webhooks dropped", Ada, world.General.Id, world.App.TeamId);
        await world.Slack.WaitForResponse(reply.ResponseUrl, r => r.Body?["text"]?.ToString().Contains("could not open") == true);

        await world.Event(new { type = "app_home_opened", user = Ada, channel = "D0ADAHOME", tab = "home", event_ts = "1700000000.000500" });

        var publish = await world.Slack.WaitForCall("views.publish", c => c.Args.Str("user_id") == Ada);
        Assert.Contains("could not be opened", publish.Args.Str("view"));
        Assert.DoesNotContain("being created", publish.Args.Str("view"));
    }

    private static object Click(string team, string user, string action, long incidentId, string responseUrl) => new
    {
        type = "block_actions", user = new { id = user }, team = new { id = team }, api_app_id = "A0TEST",
        response_url = responseUrl, container = new { type = "message", message_ts = "1.0", is_ephemeral = true },
        actions = new[] { new { type = "button", action_id = action, block_id = "b", value = incidentId.ToString(), action_ts = "1" } },
    };
}

/// <summary>A world of its own for a test that leaves Slack failing.</summary>
public sealed class FailingSlackWorld : IncidentWorld;

public sealed class ChannelJobGaveUpTests(FailingSlackWorld world) : IClassFixture<FailingSlackWorld>
{
    private static string NewTeam() => "TGAVE" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();

    [Fact]
    public async Task RetriesSpent_TellTheReporterToo()
    {
        var team = NewTeam();
        // Slack keeps failing (this world is the test's own, so no other test meets the failures left over).
        world.Slack.FailNext("conversations.create", 20, Failure.Error("internal_error"));
        var reply = await world.Command("new Exports fail", Ada, world.General.Id, team);
        var id = await Poll.Until(() => world.Scalar<long>("select id from incidents where team_id = @team", new { team }), v => v > 0);

        // Four retries already spent (Hangfire's own counter), so the next run is the last one.
        var schema = world.App.HangfireSchema;
        var jobId = await Poll.Until(() => world.Scalar<long>($"""
            select id from {schema}.job
            where statename = 'Scheduled' and invocationdata::text like '%OpenIncidentChannelJob%' and arguments::text like @arg
            """, new { arg = $"%\"{id}\"%" }), v => v > 0, what: "the scheduled retry");
        using (var connection = world.App.Services.GetRequiredService<JobStorage>().GetConnection())
            connection.SetJobParameter(jobId.ToString(), "RetryCount", "5");

        await Poll.Until(() => world.Scalar<string?>("select channel_error from incidents where id = @id", new { id }), e => e is not null,
            TimeSpan.FromSeconds(30), "the failure to be recorded");
        Assert.Equal("internal_error", await world.Scalar<string>("select channel_error from incidents where id = @id", new { id }));
        // The failure is recorded while Hangfire applies the Failed state, which commits right after.
        await Poll.Until(() => world.Scalar<string>($"select statename from {schema}.job where id = @jobId", new { jobId }), st => st == "Failed",
            TimeSpan.FromSeconds(10), "the job to be Failed");
        var report = await world.Slack.WaitForResponse(reply.ResponseUrl, r => r.Body?["text"]?.ToString().Contains("could not open") == true,
            TimeSpan.FromSeconds(30));
        Assert.Contains("`internal_error`", report.Body!["text"]!.ToString());
        Assert.Contains("did not answer", report.Body["text"]!.ToString());
    }
}
