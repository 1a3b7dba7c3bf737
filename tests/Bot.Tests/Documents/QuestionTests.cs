using System.Text.Json.Nodes;
using Bot.Documents;
using Bot.Slack.Testing;
using Bot.Tests.Infrastructure;
using Bot.Tests.Postmortems;
using Dapper;
using static Bot.Tests.Postmortems.PostmortemWorld;

namespace Bot.Tests.Documents;

/// <summary>Questions through Slack's real paths: /postmortem question, questions, answer; the Answer button
/// (a block action whose trigger_id opens the modal) and the modal's submission.</summary>
public sealed class QuestionTests(PostmortemWorld world) : IClassFixture<PostmortemWorld>
{
    [Fact]
    public async Task Question_IsNumbered_WithAnAnswerButton_ThatOpensAModal_WhoseSubmissionAnswersOnce()
    {
        var incident = await world.Resolved(world.App, world.ConnectionString, "Questions");
        var asked = await world.Postmortem(incident, "question Why did the failover take <!channel> 10 min &amp; not 1?", Bob);
        Assert.Equal("in_channel", asked.Body?["response_type"]?.ToString());
        var text = asked.Body!["text"]!.ToString();
        Assert.Equal(":question: Question 1 from <@U0BOB>: Why did the failover take @channel 10 min &amp; not 1?", text);
        var button = asked.Body["blocks"]![0]!["accessory"]!;
        Assert.Equal(AnswerQuestionButton.ActionId, button["action_id"]!.ToString());
        Assert.Equal($"{incident.Id}:1", button["value"]!.ToString());
        Assert.StartsWith(":question: Question 2 from", (await world.Postmortem(incident, "question Who paged the DBA?")).Body!["text"]!.ToString());
        Assert.Empty(FakeSlack.BlockProblems(asked.Body["blocks"]!.AsArray()));

        var clicked = await world.ClickInReply(incident, Cat, asked.Body["blocks"], AnswerQuestionButton.ActionId, button["value"]!.ToString());
        Assert.Equal(200, clicked.HttpStatus);
        var modal = await world.Modal(incident, AnswerQuestionModal.CallbackId);
        Assert.Equal(clicked.TriggerId, modal.TriggerId);
        Assert.Contains("Why did the failover take @channel 10 min &amp; not 1?", EditingWorld.Json(modal.Definition));

        var saved = await world.Driver().ViewSubmission(Cat, modal, EditingWorld.AnswerValue("The DNS TTL was 10 minutes."));
        Assert.Equal("clear", saved.Body?["response_action"]?.ToString());
        Assert.True(modal.Closed);
        var note = await Poll.Until(() => Task.FromResult(world.Slack.Messages(incident.ChannelId).Where(m => m.Text!.Contains("answered question 1")).ToList()),
            l => l.Count > 0, what: "the channel's note");
        Assert.Equal(":speech_balloon: <@U0CAT> answered question 1: The DNS TTL was 10 minutes.", Assert.Single(note).Text);

        // Clicked again, submitted again with the same answer: one change, and the modal says so.
        await world.ClickInReply(incident, Cat, asked.Body["blocks"], AnswerQuestionButton.ActionId, button["value"]!.ToString());
        var second = await world.Modal(incident, AnswerQuestionModal.CallbackId, v => v.Id != modal.Id);
        Assert.Contains("The DNS TTL was 10 minutes.", EditingWorld.Json(second.Definition)); // pre-filled with the answer
        Assert.Contains("Answered by <@U0CAT>", EditingWorld.Json(second.Definition));
        var again = await world.Driver().ViewSubmission(Cat, second, EditingWorld.AnswerValue("The DNS TTL was 10 minutes."));
        Assert.Equal("update", again.Body?["response_action"]?.ToString());
        Assert.Contains("already has exactly this answer", EditingWorld.Json(second.Definition));

        await using var c = await Open(world.ConnectionString);
        var history = (await c.QueryAsync<(string Answer, string AnsweredBy)>(
            "select answer, answered_by from postmortem_question_answers where incident_id = @Id and number = 1", new { incident.Id })).ToList();
        Assert.Equal([("The DNS TTL was 10 minutes.", Cat)], history);
        var doc = await world.Document(incident);
        var q1 = doc.Questions.Single(q => q.Number == 1);
        Assert.Equal(("The DNS TTL was 10 minutes.", "Cat Stevens", "Bob Hope"), (q1.Answer, q1.AnsweredBy, q1.AskedBy));
        Assert.Equal("Why did the failover take @channel 10 min & not 1?", q1.Text);
        await Poll.Until(() => Task.FromResult(world.Slack.Messages(incident.ChannelId).Count(m => m.Text!.Contains("answered question 1"))), n => n == 1);
    }

    [Fact]
    public async Task AnswerCommand_Answers_OnceAndSaysSo_UnknownNumberIsExplained()
    {
        var incident = await world.Resolved(world.App, world.ConnectionString, "Answer cmd");
        await world.Postmortem(incident, "question Why no alert?", Bob);

        var answered = await world.Postmortem(incident, "answer 1 The alert was muted by <@U0BOB|bob> & nobody saw it", Ada);
        Assert.Equal("in_channel", answered.Body?["response_type"]?.ToString());
        Assert.Equal(":speech_balloon: <@U0ADA> answered question 1: The alert was muted by @bob &amp; nobody saw it", answered.Body?["text"]?.ToString());
        var twice = await world.Postmortem(incident, "answer #1 The alert was muted by <@U0BOB|bob> & nobody saw it", Ada);
        Assert.Equal("ephemeral", twice.Body?["response_type"]?.ToString());
        Assert.Contains("already has this answer; nothing changed", twice.Body?["text"]?.ToString());

        var unknown = await world.Postmortem(incident, "answer 7 Because", Ada);
        Assert.Equal("ephemeral", unknown.Body?["response_type"]?.ToString());
        Assert.Contains("There is no question 7", unknown.Body?["text"]?.ToString());
        foreach (var bad in new[] { "answer", "answer seven Because", "answer 1", "question", "questions two" })
        {
            var usage = await world.Postmortem(incident, bad, Ada);
            Assert.Equal("ephemeral", usage.Body?["response_type"]?.ToString());
            Assert.Contains("Usage: `/postmortem ", usage.Body?["text"]?.ToString());
        }
        var tooLong = await world.Postmortem(incident, "answer 1 " + new string('z', 3001), Ada);
        Assert.Contains("at most 3,000 characters", tooLong.Body?["text"]?.ToString());
        var longQuestion = await world.Postmortem(incident, "question " + new string('q', 2001), Ada);
        Assert.Contains("at most 2,000 characters", longQuestion.Body?["text"]?.ToString());
        Assert.Equal(1, await Scalar<long>(world.ConnectionString, "select count(*) from postmortem_questions where incident_id = @Id", new { incident.Id }));
        Assert.Equal(1, await Scalar<long>(world.ConnectionString, "select count(*) from postmortem_question_answers where incident_id = @Id", new { incident.Id }));

        // A modal whose question is gone (or never was) is answered with an error on its box, and stores nothing.
        var gone = await world.Driver().Interaction(new JsonObject
        {
            ["type"] = "view_submission",
            ["view"] = new JsonObject
            {
                ["id"] = "V0GONE", ["type"] = "modal", ["callback_id"] = AnswerQuestionModal.CallbackId, ["private_metadata"] = $"{incident.Id}:99",
                ["state"] = new JsonObject { ["values"] = EditingWorld.AnswerValue("Because") },
            },
        }, Ada);
        Assert.Equal("errors", gone.Body?["response_action"]?.ToString());
        Assert.Contains("Question 99 no longer exists", gone.Body?["errors"]?["answer"]?.ToString());
        var blank = await world.Driver().Interaction(new JsonObject
        {
            ["type"] = "view_submission",
            ["view"] = new JsonObject
            {
                ["id"] = "V0BLANK", ["type"] = "modal", ["callback_id"] = AnswerQuestionModal.CallbackId, ["private_metadata"] = $"{incident.Id}:1",
                ["state"] = new JsonObject { ["values"] = EditingWorld.AnswerValue("  \n ") },
            },
        }, Ada);
        Assert.Contains("Write an answer", blank.Body?["errors"]?["answer"]?.ToString());
        Assert.Equal(1, await Scalar<long>(world.ConnectionString, "select count(*) from postmortem_question_answers where incident_id = @Id", new { incident.Id }));

        // The button of a question that does not exist says so (ephemeral, through response_url), and opens nothing.
        var views = world.Slack.Views.Count;
        var clicked = await world.ClickInReply(incident, Ada, null, AnswerQuestionButton.ActionId, $"{incident.Id}:9");
        var told = await world.Slack.WaitForResponse(clicked.ResponseUrl!, r => r.Body?["text"]?.ToString().Contains("no longer exists") == true);
        Assert.NotEqual(true, told.Body?["replace_original"]?.GetValue<bool>()); // the question's message stays
        Assert.Equal(views, world.Slack.Views.Count);
    }

    [Fact]
    public async Task Answer_SameTextFromTwoModalsAtOnce_RecordsOneChange()
    {
        var incident = await world.Resolved(world.App, world.ConnectionString, "Answer twice");
        var asked = await world.Postmortem(incident, "question Why so slow?", Bob);
        var modals = new List<FakeView>();
        foreach (var user in new[] { Ada, Cat })
        {
            await world.ClickInReply(incident, user, asked.Body!["blocks"], AnswerQuestionButton.ActionId, $"{incident.Id}:1");
            modals.Add(await world.Modal(incident, AnswerQuestionModal.CallbackId, v => !modals.Contains(v)));
        }
        var replies = await Task.WhenAll(modals.Select((m, i) => world.Driver().ViewSubmission(i == 0 ? Ada : Cat, m, EditingWorld.AnswerValue("Cold cache."))));

        Assert.Equal(["clear", "update"], replies.Select(r => r.Body?["response_action"]?.ToString()).Order());
        Assert.Equal(1, await Scalar<long>(world.ConnectionString, "select count(*) from postmortem_question_answers where incident_id = @Id", new { incident.Id }));
    }

    [Fact]
    public async Task Questions_List_MarkedAndAsked_AnsweredOrNot_PagedWithinSlacksBlockLimit()
    {
        var incident = await world.Resolved(world.App, world.ConnectionString, "Question list");
        await world.Marked(incident, Bob, "Was the replica lagging?", "question");
        for (var i = 2; i <= 45; i++) await world.Postmortem(incident, $"question Q{i}: what about shard {i}?", Cat);
        await world.Postmortem(incident, "answer 2 Shard 2 was fine", Ada);

        var first = await world.Postmortem(incident, "questions");
        Assert.Equal("ephemeral", first.Body?["response_type"]?.ToString());
        var blocks = first.Body!["blocks"]!.AsArray();
        Assert.True(blocks.Count <= 50, $"{blocks.Count} blocks");
        var json = EditingWorld.Json(blocks);
        Assert.Contains("Was the replica lagging?", json); // the :question: message is in the list
        Assert.Contains("Shard 2 was fine", json);
        Assert.Contains("Not answered yet", json);
        Assert.Contains("44 of 45 unanswered", json);
        Assert.Contains("Change answer", json);
        var note = EditingWorld.Json(blocks[^1]!);
        Assert.Contains("page 1 of 2", note);
        Assert.Contains("/postmortem questions 2", note);
        Assert.Equal(QuestionBlocks.PageSize, blocks.Count(b => b!["accessory"]?["action_id"]?.ToString() == AnswerQuestionButton.ActionId));

        var second = (await world.Postmortem(incident, "questions 2")).Body!["blocks"]!.AsArray();
        Assert.Equal(5, second.Count(b => b!["accessory"]?["action_id"]?.ToString() == AnswerQuestionButton.ActionId));
        Assert.Contains("Q45: what about shard 45?", EditingWorld.Json(second));
        Assert.Contains("page 2 of 2", EditingWorld.Json(second[^1]!));
        Assert.Empty(FakeSlack.BlockProblems(blocks));
        Assert.Empty(FakeSlack.BlockProblems(second));
    }
}
