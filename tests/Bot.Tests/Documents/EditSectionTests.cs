using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Bot.Documents;
using Bot.Rendering;
using Bot.Tests.Infrastructure;
using Bot.Tests.Postmortems;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using static Bot.Tests.Postmortems.PostmortemWorld;
using Sections = Bot.Timeline.Sections;

namespace Bot.Tests.Documents;

/// <summary>/postmortem edit through Slack's real paths: the command opens modals with its trigger_id, the picker's
/// select updates the view, submissions are answered as Slack expects (the fake applies and checks the answer), the
/// edit lands in PostgreSQL and the channel is told by a job.</summary>
public sealed class EditSectionTests(PostmortemWorld world) : IClassFixture<PostmortemWorld>
{
    [Fact]
    public async Task Edit_Picker_ThenSelect_UpdatesToPrefilledSection_SaveRecordsWhoAndWhen_OnceEvenIfSubmittedTwice()
    {
        var incident = await world.Resolved(world.App, world.ConnectionString, "Edit picker");
        var reply = await world.Postmortem(incident, "edit");
        Assert.True(reply.Body is null, reply.RawBody); // the modal is the answer

        var picker = await world.Modal(incident, EditPickerModal.CallbackId);
        var options = EditingWorld.Blocks(picker)[1]!["element"]!["options"]!.AsArray();
        Assert.Equal(SectionKeys.Editable, options.Select(o => o!["value"]!.ToString()));
        Assert.Equal("1 captured", Option(options, Sections.Symptoms)["description"]!["text"]!.ToString());
        Assert.Equal("empty", Option(options, Sections.Observations)["description"]!["text"]!.ToString());
        Assert.Equal("What can we learn", Option(options, SectionKeys.Learn)["text"]!["text"]!.ToString());
        Assert.Equal("What didn't go so well", Option(options, Sections.WentBadly)["text"]!["text"]!.ToString());

        await world.Driver().BlockActionInView(Ada, picker, EditPickerModal.SelectAction, new JsonObject
        {
            ["type"] = "static_select",
            ["selected_option"] = new JsonObject { ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = "Symptoms" }, ["value"] = Sections.Symptoms },
        });
        await Poll.Until(() => Task.FromResult(picker.Definition["callback_id"]?.ToString()), id => id == EditSectionModal.CallbackId,
            what: "the picker to become the Symptoms modal");
        var box = Assert.Single(EditingWorld.Boxes(picker));
        Assert.Matches(new Regex(@"^\d\d:\d\d Bob Hope: Checkout returns 502$"), box.Initial);

        var text = "Checkout returned 502 to every buyer for 20 minutes & <carts> were lost";
        var saved = await world.Driver().ViewSubmission(Ada, picker, EditingWorld.BoxValues(text));
        Assert.Equal("clear", saved.Body?["response_action"]?.ToString());
        Assert.True(picker.Closed);

        // A second modal, the same text: nothing recorded, and the modal says so.
        await world.Postmortem(incident, "edit symptoms");
        var second = await world.Modal(incident, EditSectionModal.CallbackId, v => v.Id != picker.Id);
        Assert.Equal(text, Assert.Single(EditingWorld.Boxes(second)).Initial);
        var again = await world.Driver().ViewSubmission(Ada, second, EditingWorld.BoxValues(text));
        Assert.Equal("update", again.Body?["response_action"]?.ToString());
        Assert.Contains("nothing was saved", EditingWorld.Json(second.Definition));

        await using var c = await Open(world.ConnectionString);
        var rows = (await c.QueryAsync<(string Section, string Text, string EditedBy, DateTime EditedAt)>(
            "select section, text, edited_by, edited_at from postmortem_section_edits where incident_id = @Id", new { incident.Id })).ToList();
        var row = Assert.Single(rows);
        Assert.Equal((Sections.Symptoms, text, Ada), (row.Section, row.Text, row.EditedBy));
        Assert.True(DateTime.UtcNow - row.EditedAt < TimeSpan.FromMinutes(1));

        var notes = await Poll.Until(() => Task.FromResult(world.Slack.Messages(incident.ChannelId).Where(m => m.Text!.Contains("edited *Symptoms*")).ToList()),
            l => l.Count > 0, what: "the channel's note");
        Assert.Equal(":memo: <@U0ADA> edited *Symptoms* in the post-mortem", Assert.Single(notes).Text![..52]);
        var doc = await world.Document(incident);
        Assert.Equal(text, doc.Section(Sections.Symptoms)!.Edit!.Text);
        Assert.Contains(doc.Edits, e => e.Section == Sections.Symptoms && e.By == "Ada Lovelace");
    }

    [Fact]
    public async Task Edit_IsNeverOverwrittenByALaterCapture()
    {
        var incident = await world.Resolved(world.App, world.ConnectionString, "Edit wins");
        await world.Postmortem(incident, "edit");
        var picker = await world.Modal(incident, EditPickerModal.CallbackId);
        // Submitting the picker (instead of the select's block action) also leads to the section.
        var next = await world.Driver().ViewSubmission(Ada, picker, new JsonObject
        {
            ["section"] = new JsonObject { [EditPickerModal.SelectAction] = new JsonObject { ["type"] = "static_select", ["selected_option"] = new JsonObject { ["value"] = Sections.Symptoms } } },
        });
        Assert.Equal("update", next.Body?["response_action"]?.ToString());
        Assert.Equal(EditSectionModal.CallbackId, picker.Definition["callback_id"]?.ToString());
        var saved = await world.Driver().ViewSubmission(Ada, picker, EditingWorld.BoxValues("Buyers saw 502s at checkout."));
        Assert.Equal("clear", saved.Body?["response_action"]?.ToString());

        await world.Marked(incident, Bob, "Also the cart page timed out", "boom");

        var doc = await world.Document(incident);
        var symptoms = doc.Section(Sections.Symptoms)!;
        Assert.Equal(2, symptoms.Items.Count); // the capture still happened...
        Assert.Equal("Buyers saw 502s at checkout.", symptoms.Edit!.Text); // ...and the human text still stands
        var markdown = world.App.Services.GetRequiredService<DocumentRenderer>().Markdown(doc);
        Assert.Contains("Buyers saw 502s at checkout.", markdown);
        Assert.DoesNotContain("Also the cart page timed out", markdown[..markdown.IndexOf("## Timeline", StringComparison.Ordinal)]);
        // The next modal starts from the edit, not from the capture.
        await world.Postmortem(incident, "edit symptoms");
        var reopened = await world.Modal(incident, EditSectionModal.CallbackId, v => v.Id != picker.Id);
        Assert.Equal("Buyers saw 502s at checkout.", Assert.Single(EditingWorld.Boxes(reopened)).Initial);
    }

    [Fact]
    public async Task Edit_LongSection_SpreadsOverBoxesWithinSlacksLimits_AndJoinsBackWithoutLosingText()
    {
        var incident = await world.Resolved(world.App, world.ConnectionString, "Edit long");
        var said = Enumerable.Range(1, 24).Select(i => $"Factor {i:D2}: " + string.Concat(Enumerable.Repeat($"the pool ran dry on node {i} ", 8))).ToList();
        foreach (var line in said) await world.Marked(incident, Bob, line, "bulb");

        await world.Postmortem(incident, "edit contributing factors");
        var modal = await world.Modal(incident, EditSectionModal.CallbackId);
        var boxes = EditingWorld.Boxes(modal);
        Assert.True(boxes.Count >= 2, $"{boxes.Count} boxes");
        Assert.All(boxes, b => Assert.True((b.Initial ?? "").Length <= 3000));
        var current = SectionText.Current((await world.Document(incident)).Section(Sections.Hypothesis));
        Assert.True(current.Length > 5000, $"{current.Length} characters");
        Assert.Equal(current, string.Join("\n", boxes.Select(b => b.Initial).Where(t => t is not null)));
        Assert.All(said, s => Assert.Contains(s, current));

        // Submitted as pre-filled: the boxes join back to exactly the current text, so nothing changes.
        var unchanged = await world.Driver().ViewSubmission(Ada, modal, EditingWorld.BoxValues([.. boxes.Select(b => b.Initial)]));
        Assert.Equal("update", unchanged.Body?["response_action"]?.ToString());
        Assert.Equal(0, await Scalar<long>(world.ConnectionString, "select count(*) from postmortem_section_edits where incident_id = @Id", new { incident.Id }));

        await world.Postmortem(incident, "edit factors");
        var again = await world.Modal(incident, EditSectionModal.CallbackId, v => v.Id != modal.Id);
        var values = EditingWorld.Boxes(again).Select(b => b.Initial).ToArray();
        // Written where a person would: the empty box after a full one, else the end of the last box.
        if (values[^1] is null) values[^1] = "And the retry storm made it worse.";
        else values[^1] += "\nAnd the retry storm made it worse.";
        var saved = await world.Driver().ViewSubmission(Ada, again, EditingWorld.BoxValues(values));
        Assert.Equal("clear", saved.Body?["response_action"]?.ToString());
        var stored = await Scalar<string>(world.ConnectionString, "select text from postmortem_section_edits where incident_id = @Id", new { incident.Id });
        Assert.Equal(current + "\nAnd the retry storm made it worse.", stored);
    }

    [Fact]
    public async Task Edit_BadInput_IsAnsweredClearly()
    {
        var incident = await world.Resolved(world.App, world.ConnectionString, "Edit bad");
        var unknown = await world.Postmortem(incident, "edit root cause");
        Assert.Equal("ephemeral", unknown.Body?["response_type"]?.ToString());
        Assert.Contains("I don't know the section `root cause`", unknown.Body?["text"]?.ToString());
        Assert.Contains("Usage: `/postmortem edit [section]`", unknown.Body?["text"]?.ToString());

        await world.Postmortem(incident, "edit what went well");
        var modal = await world.Modal(incident, EditSectionModal.CallbackId);
        Assert.Contains("What went well", EditingWorld.Json(modal.Definition));
        var empty = await world.Driver().ViewSubmission(Ada, modal, EditingWorld.BoxValues("   "));
        Assert.Equal("errors", empty.Body?["response_action"]?.ToString());
        Assert.Contains("can't be saved empty", empty.Body?["errors"]?["text_0"]?.ToString());
        Assert.False(modal.Closed);

        var tampered = new JsonObject { ["type"] = "view_submission", ["view"] = new JsonObject
        {
            ["id"] = modal.Id, ["type"] = "modal", ["callback_id"] = EditSectionModal.CallbackId, ["private_metadata"] = $"{incident.Id}|root_cause|0|n|0",
            ["state"] = new JsonObject { ["values"] = EditingWorld.BoxValues("x") },
        } };
        var refused = await world.Driver().Interaction(tampered, Ada);
        Assert.Equal("errors", refused.Body?["response_action"]?.ToString());
        Assert.Equal(0, await Scalar<long>(world.ConnectionString, "select count(*) from postmortem_section_edits where incident_id = @Id", new { incident.Id }));
    }

    [Fact]
    public async Task Edit_SomeoneSavedMeanwhile_AsksBeforeReplacingTheirText()
    {
        var incident = await world.Resolved(world.App, world.ConnectionString, "Edit race");
        await world.Postmortem(incident, "edit learn");
        var adas = await world.Modal(incident, EditSectionModal.CallbackId);
        await world.Postmortem(incident, "edit learn", Bob);
        var bobs = await world.Modal(incident, EditSectionModal.CallbackId, v => v.Id != adas.Id);

        Assert.Equal("clear", (await world.Driver().ViewSubmission(Bob, bobs, EditingWorld.BoxValues("Page on 502 rates, not on CPU."))).Body?["response_action"]?.ToString());
        var asked = await world.Driver().ViewSubmission(Ada, adas, EditingWorld.BoxValues("Test the failover monthly."));
        Assert.Equal("update", asked.Body?["response_action"]?.ToString());
        Assert.Contains("Bob Hope saved this section", EditingWorld.Json(adas.Definition));
        Assert.Equal("Test the failover monthly.", Assert.Single(EditingWorld.Boxes(adas)).Initial);
        Assert.Equal("Page on 502 rates, not on CPU.", (await world.Document(incident)).Section(SectionKeys.Learn)!.Edit!.Text);

        Assert.Equal("clear", (await world.Driver().ViewSubmission(Ada, adas, EditingWorld.BoxValues("Test the failover monthly."))).Body?["response_action"]?.ToString());
        var history = (await world.Document(incident)).Edits.Where(e => e.Section == SectionKeys.Learn).Select(e => e.By).ToList();
        Assert.Equal(["Bob Hope", "Ada Lovelace"], history);
    }

    [Fact]
    public async Task Edit_SameTextSubmittedFromTwoModalsAtOnce_RecordsOneChange()
    {
        var incident = await world.Resolved(world.App, world.ConnectionString, "Edit twice");
        var modals = new List<Slack.Testing.FakeView>();
        foreach (var user in new[] { Ada, Bob })
        {
            await world.Postmortem(incident, "edit remediation", user);
            modals.Add(await world.Modal(incident, EditSectionModal.CallbackId, v => !modals.Contains(v)));
        }
        var replies = await Task.WhenAll(modals.Select((m, i) => world.Driver().ViewSubmission(i == 0 ? Ada : Bob, m, EditingWorld.BoxValues("Failed over to the standby."))));

        Assert.Equal(["clear", "update"], replies.Select(r => r.Body?["response_action"]?.ToString()).Order());
        Assert.Equal(1, await Scalar<long>(world.ConnectionString, "select count(*) from postmortem_section_edits where incident_id = @Id", new { incident.Id }));
        await Poll.Until(() => Task.FromResult(world.Slack.Messages(incident.ChannelId).Count(m => m.Text!.Contains("edited *Remediation*"))), n => n == 1,
            what: "one note");
    }

    [Fact]
    public async Task Edit_OpensAtOnce_EvenWhenFetchingNamesOutlivesTheTrigger()
    {
        var incident = await world.Resolved(world.App, world.ConnectionString, "Edit slow");
        // A day later the names are stale and users.info is slow: building the document takes longer than a
        // trigger_id lives (the fake's: 10 s; Slack's: 3 s).
        await using (var c = await Open(world.ConnectionString))
            await c.ExecuteAsync("update slack_users set fetched_at = now() - interval '2 days'");
        world.Slack.FailNext("users.info", 2, Slack.Testing.Failure.Delay(TimeSpan.FromSeconds(6))); // Ada and Bob

        var reply = await world.Postmortem(incident, "edit symptoms");
        var modal = await world.Modal(incident, EditSectionModal.CallbackId);

        Assert.Equal(reply.TriggerId, modal.TriggerId);
        Assert.Equal(1, modal.Updates); // opened at once, filled in when the document was built
        Assert.Contains("Bob Hope: Checkout returns 502", Assert.Single(EditingWorld.Boxes(modal)).Initial);
    }

    private static JsonNode Option(JsonArray options, string key) => options.First(o => o!["value"]!.ToString() == key)!;
}
