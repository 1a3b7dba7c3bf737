using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Bot.Slack.Testing;

namespace Bot.Slack.Tests;

/// <summary>The fake Slack itself, driven with a plain HttpClient so it does not depend on the real client.</summary>
public class FakeSlackTests : IAsyncLifetime
{
    private FakeSlack _slack = null!;
    private readonly HttpClient _http = new();

    public async Task InitializeAsync() => _slack = await FakeSlack.StartAsync();

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _slack.DisposeAsync();
    }

    private async Task<(HttpResponseMessage Response, JsonObject? Body)> Post(string method, object args, string? token = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _slack.ApiUrl + method) { Content = JsonContent.Create(args) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token ?? _slack.BotToken);
        var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response, response.Content.Headers.ContentType?.MediaType == "application/json" ? JsonNode.Parse(text)!.AsObject() : null);
    }

    private async Task<JsonObject> Form(string method, Dictionary<string, string> args, string? token = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _slack.ApiUrl + method) { Content = new FormUrlEncodedContent(args) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token ?? _slack.BotToken);
        var response = await _http.SendAsync(request);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    private async Task<JsonObject> Json(string method, object args) => (await Post(method, args)).Body!;

    private static string? Error(JsonObject body) => body["error"]?.GetValue<string>();

    [Fact]
    public async Task UnknownMethod_IsRejected()
    {
        var body = await Json("chat.postMessagee", new { channel = "C1", text = "hi" });

        Assert.False(body["ok"]!.GetValue<bool>());
        Assert.Equal("unknown_method", Error(body));
        Assert.Equal("unknown_method", _slack.CallsTo("chat.postMessagee").Single().Error);
    }

    [Fact]
    public async Task MissingToken_IsNotAuthed_AndWrongToken_IsInvalidAuth()
    {
        using var noToken = await _http.PostAsync(_slack.ApiUrl + "auth.test", new FormUrlEncodedContent([]));
        var wrong = await Form("auth.test", [], token: "xoxb-wrong");

        Assert.Equal("not_authed", Error(JsonNode.Parse(await noToken.Content.ReadAsStringAsync())!.AsObject()));
        Assert.Equal("invalid_auth", Error(wrong));
    }

    [Fact]
    public async Task AuthTest_ReturnsTheBotUser()
    {
        var body = await Json("auth.test", new { });

        Assert.True(body["ok"]!.GetValue<bool>());
        Assert.Equal(_slack.BotUserId, body["user_id"]!.GetValue<string>());
        Assert.Equal(_slack.BotId, body["bot_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task MissingRequiredArgument_IsInvalidArguments_NamingIt()
    {
        var body = await Json("chat.postMessage", new { text = "no channel" });

        Assert.Equal("invalid_arguments", Error(body));
        Assert.Contains("channel", body["response_metadata"]!["messages"]![0]!.GetValue<string>());
        Assert.Empty(_slack.Channels.SelectMany(c => _slack.Messages(c.Id)));
    }

    [Fact]
    public async Task ReadMethods_RejectAJsonBody_AsSlackIgnoresIt()
    {
        _slack.AddUser("U1", "ana");

        var body = await Json("users.info", new { user = "U1" });
        using var query = new HttpRequestMessage(HttpMethod.Get, _slack.ApiUrl + "users.info?user=U1");
        query.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _slack.BotToken);
        var viaQuery = JsonNode.Parse(await (await _http.SendAsync(query)).Content.ReadAsStringAsync())!;

        Assert.Equal("invalid_arguments", Error(body));
        Assert.Equal("ana", viaQuery["user"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task PostMessage_ReturnsIncreasingTs_AndStoresTheMessage()
    {
        var channel = _slack.AddChannel("general");

        var first = await Json("chat.postMessage", new { channel = channel.Id, text = "one" });
        var second = await Form("chat.postMessage", new() { ["channel"] = "#general", ["text"] = "two", ["blocks"] = """[{"type":"divider"}]""" });

        var ts1 = decimal.Parse(first["ts"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        var ts2 = decimal.Parse(second["ts"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(ts2 > ts1);
        Assert.Matches(@"^\d{10}\.\d{6}$", first["ts"]!.GetValue<string>());
        Assert.Equal(["one", "two"], _slack.Messages("general").Select(m => m.Text));
        Assert.Equal("divider", _slack.Messages("general")[1].Blocks![0]!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task PostMessage_WithoutContent_IsNoText_AndBadBlocksAreRejected()
    {
        var channel = _slack.AddChannel("general");

        var noText = await Json("chat.postMessage", new { channel = channel.Id });
        var notArray = await Form("chat.postMessage", new() { ["channel"] = channel.Id, ["blocks"] = "{\"type\":\"divider\"}" });
        var tooMany = await Json("chat.postMessage", new { channel = channel.Id, blocks = Enumerable.Repeat(new { type = "divider" }, 51) });

        Assert.Equal("no_text", Error(noText));
        Assert.Equal("invalid_blocks_format", Error(notArray));
        Assert.Equal("invalid_blocks", Error(tooMany));
        Assert.Empty(_slack.Messages(channel.Id));
    }

    [Fact]
    public async Task ConversationsCreate_ValidatesNames_AndAnswersNameTaken()
    {
        var created = await Json("conversations.create", new { name = "inc-42-db-down", is_private = true });
        var again = await Json("conversations.create", new { name = "inc-42-db-down" });
        var upper = await Json("conversations.create", new { name = "Inc 42" });
        var tooLong = await Json("conversations.create", new { name = new string('a', 81) });

        Assert.True(created["ok"]!.GetValue<bool>());
        Assert.StartsWith("C", created["channel"]!["id"]!.GetValue<string>());
        Assert.True(created["channel"]!["is_private"]!.GetValue<bool>());
        Assert.Equal("name_taken", Error(again));
        Assert.Equal("invalid_name_specials", Error(upper));
        Assert.Equal("invalid_name_maxlength", Error(tooLong));
        Assert.Contains(_slack.BotUserId, _slack.Channel("#inc-42-db-down")!.Members);
    }

    [Fact]
    public async Task Invite_AddsMembers_AndReportsAlreadyInChannelAndUnknownUsers()
    {
        _slack.AddUser("U1", "ana");
        _slack.AddUser("U2", "bo");
        var channel = (await Json("conversations.create", new { name = "inc-1" }))["channel"]!["id"]!.GetValue<string>();

        var ok = await Json("conversations.invite", new { channel, users = "U1,U2" });
        var again = await Json("conversations.invite", new { channel, users = "U1" });
        var unknown = await Json("conversations.invite", new { channel, users = "U404" });

        Assert.True(ok["ok"]!.GetValue<bool>());
        Assert.Equal([_slack.BotUserId, "U1", "U2"], _slack.Channel(channel)!.Members);
        Assert.Equal("already_in_channel", Error(again));
        Assert.Equal("U1", again["errors"]![0]!["user"]!.GetValue<string>());
        Assert.Equal("user_not_found", Error(unknown));
    }

    [Fact]
    public async Task UsersList_PaginatesWithLimitAndCursor()
    {
        for (var i = 1; i <= 5; i++) _slack.AddUser($"U{i}", $"user{i}");
        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var args = new Dictionary<string, string> { ["limit"] = "2" };
            if (cursor is not null) args["cursor"] = cursor;
            var page = await Form("users.list", args);
            seen.AddRange(page["members"]!.AsArray().Select(m => m!["id"]!.GetValue<string>()));
            cursor = page["response_metadata"]!["next_cursor"]!.GetValue<string>();
            pages++;
        } while (cursor != "" && pages < 10);

        Assert.Equal(3, pages); // the bot user plus five seeded users, two a page
        Assert.Equal([_slack.BotUserId, "U1", "U2", "U3", "U4", "U5"], seen);
        Assert.Equal("invalid_cursor", Error(await Form("users.list", new() { ["cursor"] = "bm9wZQ==" })));
    }

    [Fact]
    public async Task History_IsNewestFirst_Paginated_AndRepliesFollowTheThread()
    {
        var channel = _slack.AddChannel("inc-2");
        var parent = (await Json("chat.postMessage", new { channel = channel.Id, text = "parent" }))["ts"]!.GetValue<string>();
        await Json("chat.postMessage", new { channel = channel.Id, text = "reply", thread_ts = parent });
        await Json("chat.postMessage", new { channel = channel.Id, text = "later" });

        var first = await Form("conversations.history", new() { ["channel"] = channel.Id, ["limit"] = "1" });
        var second = await Form("conversations.history", new()
        {
            ["channel"] = channel.Id, ["limit"] = "1", ["cursor"] = first["response_metadata"]!["next_cursor"]!.GetValue<string>(),
        });
        var replies = await Form("conversations.replies", new() { ["channel"] = channel.Id, ["ts"] = parent });

        Assert.Equal("later", first["messages"]![0]!["text"]!.GetValue<string>());
        Assert.True(first["has_more"]!.GetValue<bool>());
        Assert.Equal("parent", second["messages"]![0]!["text"]!.GetValue<string>());
        Assert.Equal(1, second["messages"]![0]!["reply_count"]!.GetValue<int>());
        Assert.False(second["has_more"]!.GetValue<bool>());
        Assert.Equal(["parent", "reply"], replies["messages"]!.AsArray().Select(m => m!["text"]!.GetValue<string>()));
    }

    [Fact]
    public async Task PrivateChannelsTheBotIsNotIn_AreNotFound()
    {
        var secret = _slack.AddChannel("secret", isPrivate: true, botIsMember: false);

        var info = await Form("conversations.info", new() { ["channel"] = secret.Id });
        var post = await Json("chat.postMessage", new { channel = secret.Id, text = "hi" });

        Assert.Equal("channel_not_found", Error(info));
        Assert.Equal("channel_not_found", Error(post));
    }

    [Fact]
    public async Task ViewsOpen_NeedsAFreshTriggerFromTheFake_AndChecksTheModal()
    {
        var modal = new { type = "modal", title = new { type = "plain_text", text = "Declare" }, blocks = Array.Empty<object>() };
        var trigger = _slack.NewTriggerId();

        var madeUp = await Json("views.open", new { trigger_id = "123.456.abc", view = modal });
        var opened = await Json("views.open", new { trigger_id = trigger, view = modal });
        var reused = await Json("views.open", new { trigger_id = trigger, view = modal });
        var longTitle = await Json("views.open", new
        {
            trigger_id = _slack.NewTriggerId(),
            view = new { type = "modal", title = new { type = "plain_text", text = new string('x', 25) }, blocks = Array.Empty<object>() },
        });

        Assert.Equal("invalid_trigger_id", Error(madeUp));
        Assert.StartsWith("V", opened["view"]!["id"]!.GetValue<string>());
        Assert.Equal("exchanged_trigger_id", Error(reused));
        Assert.Equal("invalid_arguments", Error(longTitle));
        Assert.Equal(trigger, _slack.Views.Single().TriggerId);
    }

    [Fact]
    public async Task FileUpload_ThreeSteps_SharesIntoTheChannel()
    {
        var channel = _slack.AddChannel("inc-3");
        var content = "postmortem"u8.ToArray();

        var url = await Form("files.getUploadURLExternal", new() { ["filename"] = "pm.md", ["length"] = content.Length.ToString() });
        var early = await Json("files.completeUploadExternal", new { files = new[] { new { id = url["file_id"]!.GetValue<string>() } } });
        using var upload = await _http.PostAsync(url["upload_url"]!.GetValue<string>(), new ByteArrayContent(content));
        var done = await Json("files.completeUploadExternal", new
        {
            files = new[] { new { id = url["file_id"]!.GetValue<string>(), title = "Postmortem" } },
            channel_id = channel.Id,
            initial_comment = "here",
        });

        Assert.Equal("upload_not_complete", Error(early));
        Assert.Equal(HttpStatusCode.OK, upload.StatusCode);
        Assert.Equal("Postmortem", done["files"]![0]!["title"]!.GetValue<string>());
        Assert.Equal(content, _slack.File(url["file_id"]!.GetValue<string>())!.Content);
        Assert.Equal("file_share", _slack.Messages(channel.Id).Single().Subtype);
    }

    [Fact]
    public async Task FailNext_RateLimits_ThenErrors_ThenServerErrors_ThenAnswersNormally()
    {
        _slack.FailNext("auth.test", Failure.RateLimited(7));
        _slack.FailNext("auth.test", Failure.Error("fatal_error"));
        _slack.FailNext("auth.test", Failure.ServerError());

        var limited = await Post("auth.test", new { });
        var error = await Post("auth.test", new { });
        var server = await Post("auth.test", new { });
        var fine = await Post("auth.test", new { });

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.Response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), limited.Response.Headers.RetryAfter!.Delta);
        Assert.Equal("ratelimited", Error(limited.Body!));
        Assert.Equal("fatal_error", Error(error.Body!));
        Assert.Equal(HttpStatusCode.InternalServerError, server.Response.StatusCode);
        Assert.True(fine.Body!["ok"]!.GetValue<bool>());
        Assert.Equal([429, 200, 500, 200], _slack.CallsTo("auth.test").Select(c => c.HttpStatus));
    }

    [Fact]
    public async Task FailNext_Delay_SlowsTheCall()
    {
        _slack.FailNext("auth.test", Failure.Delay(TimeSpan.FromMilliseconds(300)));
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var body = await Json("auth.test", new { });

        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(290), $"took {clock.Elapsed}");
        Assert.True(body["ok"]!.GetValue<bool>());
    }

    [Fact]
    public async Task WaitForCall_ReturnsACallMadeLater_AndTimesOutWithTheCallsSeen()
    {
        var channel = _slack.AddChannel("inc-4");
        var waiting = _slack.WaitForCall("chat.postMessage", c => c.Arg("text") == "second", TimeSpan.FromSeconds(5));

        await Json("chat.postMessage", new { channel = channel.Id, text = "first" });
        await Json("chat.postMessage", new { channel = channel.Id, text = "second" });
        var call = await waiting;
        var timeout = await Assert.ThrowsAsync<TimeoutException>(
            () => _slack.WaitForCall("chat.update", timeout: TimeSpan.FromMilliseconds(100)));

        Assert.Equal(channel.Id, call.Arg("channel"));
        Assert.Contains("chat.postMessage", timeout.Message);
    }

    [Fact]
    public async Task ResponseUrl_RecordsWhatIsPosted_AndRefusesASixthUse()
    {
        var url = _slack.ResponseUrl();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            using var response = await _http.PostAsJsonAsync(url, new { text = $"reply {i}", response_type = "ephemeral" });
            statuses.Add(response.StatusCode);
        }
        var first = await _slack.WaitForResponse(url);

        Assert.Equal("reply 0", first.Body!["text"]!.GetValue<string>());
        Assert.Equal(Enumerable.Repeat(HttpStatusCode.OK, 5).Append(HttpStatusCode.NotFound), statuses);
    }

    [Fact]
    public async Task BlockKitLimits_AreEnforced_WithSlacksPointers()
    {
        var channel = _slack.AddChannel("general");
        var button = new { type = "button", action_id = "go", text = new { type = "plain_text", text = "Go" } };

        var longHeader = await Json("chat.postMessage", new
        {
            channel = channel.Id, text = "x", blocks = new object[] { new { type = "header", text = new { type = "plain_text", text = new string('h', 151) } } },
        });
        var duplicateAction = await Json("chat.postMessage", new
        {
            channel = channel.Id, text = "x", blocks = new object[] { new { type = "actions", elements = new[] { button, button } } },
        });
        var fine = await Json("chat.postMessage", new
        {
            channel = channel.Id, text = "x", blocks = new object[] { new { type = "actions", elements = new[] { button } } },
        });

        Assert.Equal("invalid_blocks", Error(longHeader));
        Assert.Contains("json-pointer:/blocks/0/text/text", longHeader["response_metadata"]!["messages"]![0]!.GetValue<string>());
        Assert.Equal("invalid_blocks", Error(duplicateAction));
        Assert.True(fine["ok"]!.GetValue<bool>());
    }

    [Fact]
    public async Task AModalWithInputs_NeedsASubmitButton()
    {
        var input = new
        {
            type = "input", block_id = "title", label = new { type = "plain_text", text = "Title" },
            element = new { type = "plain_text_input", action_id = "value" },
        };
        var title = new { type = "plain_text", text = "New incident" };

        var noSubmit = await Json("views.open", new { trigger_id = _slack.NewTriggerId(), view = new { type = "modal", title, blocks = new[] { input } } });
        var withSubmit = await Json("views.open", new
        {
            trigger_id = _slack.NewTriggerId(),
            view = new { type = "modal", title, submit = new { type = "plain_text", text = "Open" }, blocks = new[] { input } },
        });

        Assert.Equal("invalid_arguments", Error(noSubmit));
        Assert.True(withSubmit["ok"]!.GetValue<bool>());
    }

    [Fact]
    public async Task ATextBox_CannotStartWithMoreThanItHolds()
    {
        object Box(string initial, int? max) => new
        {
            type = "modal", title = new { type = "plain_text", text = "Edit" }, submit = new { type = "plain_text", text = "Save" },
            blocks = new[]
            {
                new { type = "input", block_id = "b", label = new { type = "plain_text", text = "Text" },
                      element = new { type = "plain_text_input", action_id = "t", multiline = true, initial_value = initial, max_length = max } },
            },
        };

        var fits = await Json("views.open", new { trigger_id = _slack.NewTriggerId(), view = Box(new string('a', 3000), null) });
        var tooLong = await Json("views.open", new { trigger_id = _slack.NewTriggerId(), view = Box(new string('a', 3001), null) });
        var pastMax = await Json("views.open", new { trigger_id = _slack.NewTriggerId(), view = Box(new string('a', 11), 10) });

        Assert.True(fits["ok"]!.GetValue<bool>());
        Assert.Equal("invalid_arguments", Error(tooLong));
        Assert.Contains("initial_value", tooLong.ToJsonString());
        Assert.Equal("invalid_arguments", Error(pastMax));
    }

    [Fact]
    public async Task AViewSubmissionAnswer_IsAppliedAndCheckedAsSlackWould()
    {
        var modal = new
        {
            type = "modal", title = new { type = "plain_text", text = "Pick" }, submit = new { type = "plain_text", text = "Next" },
            blocks = new[] { new { type = "input", block_id = "b", label = new { type = "plain_text", text = "Text" }, element = new { type = "plain_text_input", action_id = "t" } } },
        };
        var opened = await Json("views.open", new { trigger_id = _slack.NewTriggerId(), view = modal });
        var id = opened["view"]!["id"]!.ToString();
        var view = _slack.Views.Single(v => v.Id == id);

        Assert.True(_slack.ApplyViewResponse(id, JsonNode.Parse("""{"response_action":"errors","errors":{"b":"Say more"}}""")));
        Assert.False(view.Closed);
        Assert.Throws<SlackErrorException>(() => _slack.ApplyViewResponse(id, JsonNode.Parse("""{"response_action":"errors","errors":{"nope":"x"}}""")));
        var tooLongTitle = JsonNode.Parse("""{"response_action":"update","view":{"type":"modal","title":{"type":"plain_text","text":"A title far longer than Slack allows"},"blocks":[]}}""");
        Assert.Throws<SlackErrorException>(() => _slack.ApplyViewResponse(id, tooLongTitle));
        _slack.ApplyViewResponse(id, JsonNode.Parse("""{"response_action":"update","view":{"type":"modal","title":{"type":"plain_text","text":"Done"},"blocks":[]}}"""));
        Assert.Equal("Done", view.Definition["title"]!["text"]!.ToString());
        Assert.Equal(1, view.Updates);
        _slack.ApplyViewResponse(id, JsonNode.Parse("""{"response_action":"clear"}"""));
        Assert.True(view.Closed);
    }

    [Fact]
    public async Task Reactions_AreStoredOnTheMessage_AndAddedOnce()
    {
        var channel = _slack.AddChannel("general");
        var message = _slack.AddMessage(channel.Id, "U1", "deploy started");

        var first = await Json("reactions.add", new { channel = channel.Id, timestamp = message.Ts, name = "eyes" });
        var again = await Json("reactions.add", new { channel = channel.Id, timestamp = message.Ts, name = "eyes" });
        var colons = await Json("reactions.add", new { channel = channel.Id, timestamp = message.Ts, name = ":eyes:" });

        Assert.True(first["ok"]!.GetValue<bool>());
        Assert.Equal("already_reacted", Error(again));
        Assert.Equal("invalid_name", Error(colons));
        Assert.Equal([_slack.BotUserId], message.Reactions["eyes"]);
    }

    [Fact]
    public async Task UnknownArguments_AreRecorded_SoTyposShow()
    {
        var channel = _slack.AddChannel("general");

        await Json("chat.postMessage", new { channel = channel.Id, text = "x", thread_tss = "1.2" });

        Assert.Equal(["thread_tss"], _slack.CallsTo("chat.postMessage").Single().UnknownArguments);
    }

    [Fact]
    public async Task ResponseUrl_WithContext_ActsOnTheChannelLikeSlack()
    {
        var channel = _slack.AddChannel("inc-5");
        var original = (await Json("chat.postMessage", new { channel = channel.Id, text = "Ack?" }))["ts"]!.GetValue<string>();
        var commandUrl = _slack.ResponseUrl(channel.Id, "U1");
        var buttonUrl = _slack.ResponseUrl(channel.Id, "U1", original);

        using var ephemeral = await _http.PostAsJsonAsync(commandUrl, new { text = "only you" });
        using var inChannel = await _http.PostAsJsonAsync(commandUrl, new { text = "everyone", response_type = "in_channel" });
        using var replace = await _http.PostAsJsonAsync(buttonUrl, new { text = "Acked by ana", replace_original = true });

        Assert.Equal(["Acked by ana", "everyone"], _slack.Messages(channel.Id).Select(m => m.Text));
        Assert.Equal("U1", _slack.Ephemerals(channel.Id).Single().EphemeralTo);
        Assert.NotNull(_slack.Messages(channel.Id)[0].EditedTs);
    }

    [Fact]
    public async Task ConversationsList_ShowsPublicChannels_AndOnlyThePrivateOnesTheBotIsIn()
    {
        _slack.AddChannel("general");
        _slack.AddChannel("secret", isPrivate: true, botIsMember: false);
        _slack.AddChannel("ops", isPrivate: true);

        var publicOnly = await Form("conversations.list", new());
        var both = await Form("conversations.list", new() { ["types"] = "public_channel,private_channel" });
        var bad = await Form("conversations.list", new() { ["types"] = "public" });

        Assert.Equal(["general"], publicOnly["channels"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()));
        Assert.Equal(["general", "ops"], both["channels"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()));
        Assert.Equal("invalid_types", Error(bad));
    }

    [Fact]
    public async Task Rename_FollowsTheNameRules_AndLeavesASystemMessage()
    {
        _slack.AddChannel("taken");
        var id = (await Json("conversations.create", new { name = "inc-6" }))["channel"]!["id"]!.GetValue<string>();

        var clash = await Json("conversations.rename", new { channel = id, name = "taken" });
        var renamed = await Json("conversations.rename", new { channel = id, name = "inc-6-db-down" });

        Assert.Equal("name_taken", Error(clash));
        Assert.Equal("inc-6-db-down", renamed["channel"]!["name"]!.GetValue<string>());
        Assert.Equal(id, _slack.Channel("#inc-6-db-down")!.Id);
        Assert.Equal("channel_name", _slack.History(id).Single().Subtype);
        Assert.Empty(_slack.Messages(id));
    }
}
