using Bot.Documents;
using Bot.Rendering;
using Bot.Tests.Postmortems;
using Microsoft.Extensions.DependencyInjection;
using static Bot.Tests.Postmortems.PostmortemWorld;

namespace Bot.Tests.Documents;

/// <summary>The document built from a real capture (HTTP in, PostgreSQL, the fake Slack), and rendered in each format.</summary>
public sealed class DocumentBuilderTests(PostmortemWorld world) : IClassFixture<PostmortemWorld>
{
    [Fact]
    public async Task ResolvedIncident_Document_HasCapturedSection_RealNames_EditsAndQuestions_InEveryFormat()
    {
        var incident = await world.Resolved(world.App, world.ConnectionString, "Doc v0");
        using var scope = world.App.Services.CreateScope();
        var edits = scope.ServiceProvider.GetRequiredService<SectionEditStore>();
        var questions = scope.ServiceProvider.GetRequiredService<QuestionStore>();
        Assert.True(await edits.Save(incident.Id, SectionKeys.Learn, "Alerts on 502s & <timeouts>", Ada, default));
        Assert.False(await edits.Save(incident.Id, SectionKeys.Learn, "Alerts on 502s & <timeouts>", Ada, default));
        Assert.Equal(1, await questions.Add(incident.Id, "Why did the failover take 10 min?", Bob, default));
        Assert.Equal(AnswerOutcome.Answered, await questions.Answer(incident.Id, 1, "DNS TTL", Cat, default));
        Assert.Equal(AnswerOutcome.Unchanged, await questions.Answer(incident.Id, 1, "DNS TTL", Cat, default));
        Assert.Equal(AnswerOutcome.NotFound, await questions.Answer(incident.Id, 9, "?", Cat, default));

        var doc = await scope.ServiceProvider.GetRequiredService<DocumentBuilder>().Build(incident.Id, "Europe/London", default);

        Assert.NotNull(doc);
        var symptoms = doc.Section(Bot.Timeline.Sections.Symptoms)!;
        var item = Assert.Single(symptoms.Items);
        Assert.Equal("Checkout returns 502", item.Text);
        Assert.Equal("Bob Hope", item.Author);
        Assert.Equal("Alerts on 502s & <timeouts>", doc.Section(SectionKeys.Learn)!.Edit!.Text);
        Assert.Equal("Ada Lovelace", doc.Section(SectionKeys.Learn)!.Edit!.EditedBy);
        Assert.Contains(doc.People, p => p.Display == "Ada Lovelace (SRE)" && p.Roles.Contains("incident commander"));
        Assert.Equal("DNS TTL", Assert.Single(doc.Questions).Answer);
        Assert.Equal("Failover fixed it", doc.Summary!.Edit!.Text);

        var renderer = world.App.Services.GetRequiredService<DocumentRenderer>();
        var md = renderer.Markdown(doc);
        Assert.Contains("## What can we learn", md);
        Assert.Contains(@"Alerts on 502s & \<timeouts\>", md);
        Assert.Contains("Bob Hope: Checkout returns 502", md);
        var html = renderer.Html(doc);
        Assert.Contains("Alerts on 502s &amp; &lt;timeouts&gt;", html);
        var slack = renderer.Slack(doc);
        Assert.Contains(slack.Blocks, b => b is Bot.Slack.Blocks.SectionBlock);
        Assert.Contains("Doc v0", slack.Text);
    }
}
