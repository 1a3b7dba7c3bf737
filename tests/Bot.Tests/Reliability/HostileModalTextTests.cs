using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Bot.ActionItems;
using Bot.Documents;
using Bot.Rendering;
using Bot.Slack.Testing;
using Bot.Tests.Documents;
using Bot.Tests.Infrastructure;
using Bot.Tests.Publishing;
using Microsoft.Extensions.DependencyInjection;
using static Bot.Tests.Postmortems.PostmortemWorld;

namespace Bot.Tests.Reliability;

/// <summary>HostileTextTests' hostile set through what it does not reach: the section edit modal, a question and its
/// Answer modal, an action item and its Edit modal (all submitted through the real interactivity endpoint), a person
/// whose names and title in users.info are hostile (commander, author, asker, owner), and text longer than Slack
/// allows. Checked: everything the bot said in Slack, the Markdown, the HTML and the Slack summary it renders.</summary>
public sealed class HostileModalTextTests(PublishWorld world) : IClassFixture<PublishWorld>
{
    private const string Eve = "U0EVE";
    // A field someone types in a modal: the hostile title, then lines that would be a heading, a table row, a fence.
    private const string Field = HostileTextTests.Title + "\n# heading\n| a | b |\n```\n</td><script>alert(3)</script>";

    private SlackAppDriver Driver => world.Slack.OverHttp(world.App.BaseAddress.ToString(), BotApp.SigningSecret);

    [Fact]
    public async Task HostileModalFields_AndHostileNames_ReachEveryOutputAsText()
    {
        // Eve's profile is the attack: every name and the title a workspace member can set for themselves.
        world.Slack.AddUser(Eve, "eve", "<!channel> Eve {{ 7*7 }} <b>bold</b>\n# Eve", "<!here> *bold* {{ x }} | `t`",
            title: "<script>alert(4)</script> <!everyone> {% if %}");
        var incident = await world.World.OpenWithActivity(world.App, world.ConnectionString, "Hostile modals");
        var replies = new List<string>();
        async Task<AppReply> Say(string command, string text, string user = Ada)
        {
            var reply = await Driver.SlashCommand(command, text, user, incident.ChannelId);
            Assert.True(reply.IsSuccess, $"{command} {text[..Math.Min(40, text.Length)]}: {reply.HttpStatus} {reply.RawBody}");
            replies.Add(reply.RawBody);
            return reply;
        }
        await Say("/incident", $"commander <@{Eve}|eve>");
        await world.World.Event(world.App, Said(incident, Eve, "Eve was here " + HostileTextTests.Message));
        await Say("/incident", "resolve " + HostileTextTests.Message, Eve); // the commander now
        try
        {
            await Poll.Until(() => Scalar<bool>(world.ConnectionString, "select prep_dm_sent_at is not null from postmortems where incident_id = @Id", new { incident.Id }),
                sent => sent, TimeSpan.FromSeconds(30), "the prep DM");
        }
        catch (TimeoutException e) { throw new TimeoutException(e.Message + string.Join("\n", world.Slack.Calls.Where(c => !c.Ok)) + string.Join("\n", replies) + string.Join("\n", world.Logs.Where(l => l.Contains("fail", StringComparison.OrdinalIgnoreCase) || l.Contains("exception", StringComparison.OrdinalIgnoreCase)).Take(20))); }

        // The section edit modal, saved through view_submission.
        await Say("/postmortem", "edit symptoms", Eve);
        var edit = await Modal(incident, EditSectionModal.CallbackId);
        var saved = await Driver.ViewSubmission(Eve, edit, EditingWorld.BoxValues(Field));
        Assert.Equal("clear", saved.Body?["response_action"]?.ToString());

        // A question asked by Eve and answered through the Answer modal.
        var asked = await Say("/postmortem", "question " + HostileTextTests.Title, Eve);
        var answer = asked.Body!["blocks"]![0]!["accessory"]!;
        Assert.Equal(AnswerQuestionButton.ActionId, answer["action_id"]!.ToString());
        var clicked = await Click(incident, Cat, asked.Body["blocks"], AnswerQuestionButton.ActionId, answer["value"]!.ToString());
        Assert.True(clicked.IsSuccess, clicked.RawBody);
        var answerModal = await Modal(incident, AnswerQuestionModal.CallbackId);
        var answered = await Driver.ViewSubmission(Cat, answerModal, EditingWorld.AnswerValue(Field));
        Assert.Equal("clear", answered.Body?["response_action"]?.ToString());

        // An action item owned by Eve, then changed through its Edit modal.
        var added = await Say("/postmortem", $"action Act1 {HostileTextTests.Title} <@{Eve}|eve> due 2027-01-15", Eve);
        var itemId = await Scalar<long>(world.ConnectionString, "select id from action_items where incident_id = @Id", new { incident.Id });
        var value = $"{itemId}:1";
        Assert.Contains(ActionItemBlocks.Edit, added.RawBody);
        var editClick = await Click(incident, Eve, null, ActionItemBlocks.Edit, value);
        Assert.True(editClick.IsSuccess, editClick.RawBody);
        var itemModal = await Poll.Until(() => Task.FromResult(world.Slack.Views.LastOrDefault(v =>
            v.Definition["callback_id"]?.ToString() == ActionItemEditModal.CallbackId && v.Definition["private_metadata"]?.ToString() == value)),
            v => v is not null, TimeSpan.FromSeconds(20), "the action item's edit modal");
        var itemValues = new JsonObject
        {
            ["text"] = new JsonObject { ["text"] = new JsonObject { ["type"] = "plain_text_input", ["value"] = "Act2 " + Field } },
            ["owner"] = new JsonObject { ["owner"] = new JsonObject { ["type"] = "users_select", ["selected_user"] = Eve } },
            ["due"] = new JsonObject { ["due"] = new JsonObject { ["type"] = "datepicker", ["selected_date"] = "2027-01-20" } },
            ["link"] = new JsonObject { ["link"] = new JsonObject { ["type"] = "plain_text_input", ["value"] = "javascript:alert(5)" } },
        };
        var refused = await Driver.ViewSubmission(Eve, itemModal!, itemValues);
        Assert.Equal("errors", refused.Body?["response_action"]?.ToString()); // no javascript: link, said in the modal
        itemValues["link"]!["link"]!["value"] = "https://example.com/x)](javascript:alert(5))<!channel>";
        var itemSaved = await Driver.ViewSubmission(Eve, itemModal!, itemValues);
        Assert.True(itemSaved.IsSuccess, itemSaved.RawBody);
        await Poll.Until(() => Scalar<int>(world.ConnectionString, "select version from action_items where id = @itemId", new { itemId }),
            v => v >= 2, TimeSpan.FromSeconds(20), $"the item's edit ({itemSaved.RawBody})");

        // A meeting: Eve (and her name) is on every invite; an .ics line cannot be started from it.
        await Say("/postmortem", "schedule 2027-03-29 10:00 for 30", Eve);
        var ics = await Poll.Until(() => Task.FromResult(world.World.IcsFiles(Eve, "20270329T")), l => l.Count >= 1, TimeSpan.FromSeconds(30), "Eve's .ics");
        foreach (var file in ics)
        {
            Assert.Contains("{{ x }}", file.Replace("\r\n ", "", StringComparison.Ordinal)); // her display name, as text
            var icsLines = file.Split("\r\n");
            Assert.All(icsLines.Where(l => l.Length > 0), l => Assert.Matches(@"^([A-Z][A-Z0-9-]*[;:]| )", l));
            Assert.All(icsLines, l => Assert.True(System.Text.Encoding.UTF8.GetByteCount(l) <= 75, l));
        }

        // What the bot said in Slack about all of it: nobody pinged, nothing evaluated; no call Slack refused.
        await Poll.Until(() => Task.FromResult(world.Slack.Messages(incident.ChannelId).Count(m => (m.Text ?? "").Contains("answered question 1"))),
            n => n == 1, TimeSpan.FromSeconds(20), "the answer's note");
        var said = HostileTextTests.SaidInSlack(world.Slack, replies);
        Assert.Contains(said, s => s.Contains("Act1", StringComparison.Ordinal)); // the item reached Slack
        HostileTextTests.AssertNothingLive(said);
        Assert.DoesNotContain(world.Slack.Calls, c => !c.Ok && c.Error is "invalid_blocks" or "invalid_arguments" or "msg_too_long");

        // The renders of the document.
        PostmortemDocument doc;
        using (var scope = world.App.Services.CreateScope())
            doc = (await scope.ServiceProvider.GetRequiredService<DocumentBuilder>().Build(incident.Id, null, default))!;
        var renderer = world.App.Services.GetRequiredService<DocumentRenderer>();
        var md = renderer.Markdown(doc);
        Assert.Contains("7\\*7", md); // the fields did reach the document
        Assert.Contains("Act2", md);
        Assert.Contains("Eve {{ 7\\*7 }}", md); // Eve's real name, as text (commander, author, asker, owner)
        Assert.DoesNotContain("<script>", md);
        Assert.DoesNotContain("<!channel>", md);
        Assert.DoesNotContain("<!here>", md);
        Assert.DoesNotContain("<b>", md);
        Assert.DoesNotMatch(@"(?<!\\)\]\(javascript:", md); // an escaped "\](" is text, a bare one a link
        Assert.DoesNotContain("(javascript:alert(5))", md); // the item's link: parentheses in a target are encoded
        Assert.DoesNotContain("49", Regex.Replace(md, @"\d{3,}|\d+[.:]\d+", ""));
        var lines = md.Split('\n');
        Assert.DoesNotContain(lines, l => l.StartsWith("# heading", StringComparison.Ordinal) || l.StartsWith("# Eve", StringComparison.Ordinal)
            || l.StartsWith("| a |", StringComparison.Ordinal));
        // The only fences are the template's own (the timeline chart): each opened and closed, none from a field.
        Assert.Equal(2 * lines.Count(l => l == "```mermaid"), lines.Count(l => l.StartsWith("```", StringComparison.Ordinal)));
        // The action items table: the item's row has as many cells as the header, however many | it holds.
        var row = Assert.Single(lines, l => l.StartsWith('|') && l.Contains("Act2", StringComparison.Ordinal));
        var header = lines[Array.FindLastIndex(lines, Array.IndexOf(lines, row), l => !l.StartsWith('|')) + 1];
        Assert.Equal(Cells(header), Cells(row));

        var html = renderer.Html(doc);
        Assert.Contains("Act2", html);
        Assert.DoesNotContain("<script>", html);
        Assert.DoesNotContain("<b>bold", html);
        Assert.Contains("&lt;script&gt;", html);
        Assert.Contains("&lt;!channel&gt; Eve", html);
        Assert.DoesNotContain("49", Regex.Replace(html, @"\d{3,}|\d+[.:]\d+|#[0-9a-fA-F]{3,6}", ""));

        var summary = renderer.Slack(doc);
        var blocks = System.Text.Json.JsonSerializer.Serialize(summary.Blocks.Cast<object>().ToList(), Bot.Slack.SlackJson.Options);
        Assert.Contains("{{ 7", blocks); // the title, as text
        Assert.Empty(FakeSlack.BlockProblems(JsonNode.Parse(blocks)!.AsArray()));
        HostileTextTests.AssertNothingLive([summary.Text, blocks]);
    }

    [Fact]
    public async Task VeryLongText_StaysWithinSlacksLimits_AndIsNeverA500()
    {
        var since = DateTimeOffset.UtcNow;
        // A title far past the header block's 150 characters: a clear refusal, no incident.
        var longTitle = await Driver.SlashCommand("/incident", "new " + string.Concat(Enumerable.Repeat("<!channel> {{ 7*7 }} ", 150)) + " sev2", Ada, world.World.General.Id);
        Assert.Equal(200, longTitle.HttpStatus);
        Assert.Equal("ephemeral", longTitle.Body?["response_type"]?.ToString());
        Assert.Contains("keep it under", longTitle.Body?["text"]?.ToString());

        // A message as long as Slack allows (40,000 characters), marked as a symptom; the hostile set over and over.
        var incident = await world.World.OpenWithActivity(world.App, world.ConnectionString, "Hostile long");
        var text = string.Concat(Enumerable.Repeat(HostileTextTests.Message + "\n", 40_000 / (HostileTextTests.Message.Length + 1) + 1))[..40_000];
        var ts = $"{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}.{Random.Shared.Next(100000, 999999)}";
        await world.World.Event(world.App, new { type = "message", channel = incident.ChannelId, channel_type = "channel", user = Bob, text, ts, event_ts = ts });
        await world.World.Event(world.App, new
        {
            type = "reaction_added", user = Cat, reaction = "boom", item_user = Bob, event_ts = ts + "1",
            item = new { type = "message", channel = incident.ChannelId, ts },
        });
        await Poll.Until(() => Scalar<long>(world.ConnectionString, "select count(*) from timeline_reactions where incident_id = @Id", new { incident.Id }),
            n => n == 2, TimeSpan.FromSeconds(20), "the long message's capture");
        var resolved = await Driver.SlashCommand("/incident", "resolve " + text[..1000], Ada, incident.ChannelId);
        Assert.Equal(200, resolved.HttpStatus);
        await Poll.Until(() => Scalar<bool>(world.ConnectionString, "select prep_dm_sent_at is not null from postmortems where incident_id = @Id", new { incident.Id }),
            sent => sent, TimeSpan.FromSeconds(30), "the prep DM");

        // The preview (a summary within a message's limits) and the section modal (the text spread over boxes).
        var preview = await Driver.SlashCommand("/postmortem", "preview", Ada, incident.ChannelId);
        Assert.Equal(200, preview.HttpStatus);
        Assert.Empty(FakeSlack.BlockProblems(preview.Body!["blocks"]!.AsArray()));
        Assert.True(preview.Body!["text"]!.ToString().Length <= 40_000);
        Assert.Equal(200, (await Driver.SlashCommand("/postmortem", "edit symptoms", Ada, incident.ChannelId)).HttpStatus);
        var modal = await Modal(incident, EditSectionModal.CallbackId);
        var boxes = EditingWorld.Boxes(modal);
        Assert.True(boxes.Count >= 2, $"{boxes.Count} boxes");
        Assert.All(boxes, b => Assert.True((b.Initial ?? "").Length <= 3000));
        await Poll.Until(() => Task.FromResult(world.Slack.Files.Any(f => f.Name.EndsWith(".md", StringComparison.Ordinal) && f.Content is not null
                && System.Text.Encoding.UTF8.GetString(f.Content).Contains("Hostile long", StringComparison.Ordinal))),
            uploaded => uploaded, TimeSpan.FromSeconds(30), "the preview's Markdown file");

        // Nothing the bot sent was refused by Slack's limits, and everything it said stayed harmless.
        var calls = world.Slack.Calls.Where(c => c.Time >= since).ToList();
        Assert.DoesNotContain(calls, c => !c.Ok && c.Error is "invalid_blocks" or "invalid_blocks_format" or "invalid_arguments" or "msg_too_long");
        HostileTextTests.AssertNothingLive(HostileTextTests.SaidInSlack(world.Slack, [longTitle.RawBody, resolved.RawBody, preview.RawBody]));
    }

    private static int Cells(string tableLine) => Regex.Matches(tableLine, @"(?<!\\)\|").Count;

    private static object Said(Incident incident, string user, string text)
    {
        var ts = $"{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}.{Random.Shared.Next(100000, 999999)}";
        return new { type = "message", channel = incident.ChannelId, channel_type = "channel", user, text, ts, event_ts = ts };
    }

    private async Task<FakeView> Modal(Incident incident, string callbackId)
    {
        try { return await ModalOrTimeout(incident, callbackId); }
        catch (TimeoutException e) { throw new TimeoutException(e.Message + "\n" + string.Join("\n", world.Slack.Calls.Where(c => !c.Ok)) + "\n" + string.Join("\n", world.Slack.Responses.Select(r => r.Body?.ToJsonString()))); }
    }

    private Task<FakeView> ModalOrTimeout(Incident incident, string callbackId) =>
        Poll.Until(() => Task.FromResult(world.Slack.Views.LastOrDefault(v => v.Definition["callback_id"]?.ToString() == callbackId
                && (v.Definition["private_metadata"]?.ToString() ?? "").Split('|', ':')[0] == incident.Id.ToString())),
            v => v is not null, TimeSpan.FromSeconds(20), $"the {callbackId} modal")!;

    /// <summary>A click on a button of a command's reply (Slack posts in-channel replies; the fake keeps only what the app posted).</summary>
    private Task<AppReply> Click(Incident incident, string user, JsonNode? blocks, string actionId, string value)
    {
        var ts = $"{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}.{Random.Shared.Next(100000, 999999)}";
        return Driver.Interaction(new JsonObject
        {
            ["type"] = "block_actions",
            ["team"] = new JsonObject { ["id"] = incident.Team },
            ["container"] = new JsonObject { ["type"] = "message", ["message_ts"] = ts, ["channel_id"] = incident.ChannelId, ["is_ephemeral"] = false },
            ["channel"] = new JsonObject { ["id"] = incident.ChannelId },
            ["message"] = new JsonObject { ["type"] = "message", ["ts"] = ts, ["blocks"] = blocks?.DeepClone() },
            ["actions"] = new JsonArray(new JsonObject { ["type"] = "button", ["action_id"] = actionId, ["block_id"] = "b", ["value"] = value, ["action_ts"] = ts }),
        }, user);
    }
}
