using System.Text.Json.Nodes;
using Bot.Slack.Blocks;
using Bot.Slack.Handlers;
using Bot.Slack.Tests.Support;
using Bot.Slack.WebApi;

namespace Bot.Slack.Tests.WebApi;

public sealed class SlackApiClientTests : IAsyncLifetime
{
    private StubSlackServer _server = null!;

    public async Task InitializeAsync() => _server = await StubSlackServer.Start();
    public async Task DisposeAsync() => await _server.DisposeAsync();

    private ISlackApi Client(TimeProvider? time = null, Action<SlackWebApiOptions>? configure = null) =>
        ClientFactory.Create(_server.ApiUrl, time, configure).Api;

    private static JsonObject Posted(string channel = "C1", string ts = "1700000000.000100") =>
        new() { ["channel"] = channel, ["ts"] = ts };

    [Fact]
    public async Task PostMessage_SendsJsonWithBearerToken_AndReturnsTs()
    {
        _server.Default("api/chat.postMessage", Reply.Ok(Posted()));

        var posted = await Client().Chat.PostMessage(new OutgoingMessage
        {
            Channel = "C1", Text = "hello", ThreadTs = "1.2", Blocks = [Block.Section("*hi*")],
        });

        Assert.Equal(new PostedMessage("C1", "1700000000.000100"), posted);
        var call = Assert.Single(_server.CallsTo("api/chat.postMessage"));
        Assert.Equal("Bearer " + ClientFactory.Token, call.Authorization);
        Assert.Equal("application/json; charset=utf-8", call.ContentType);
        var body = call.Json;
        Assert.Equal("C1", (string?)body["channel"]);
        Assert.Equal("1.2", (string?)body["thread_ts"]);
        Assert.Equal("section", (string?)body["blocks"]![0]!["type"]);
        Assert.Equal("mrkdwn", (string?)body["blocks"]![0]!["text"]!["type"]);
        Assert.Null(body["unfurl_links"]); // unset fields are left out, not sent as null
    }

    [Fact]
    public async Task OkFalse_BecomesSlackApiException_WithSlacksErrorCode_AndIsNotRetried()
    {
        _server.Default("api/conversations.info", Reply.Json(new JsonObject
        {
            ["ok"] = false, ["error"] = "missing_scope", ["needed"] = "channels:read",
        }));

        var e = await Assert.ThrowsAsync<SlackApiException>(() => Client().Conversations.Info("C404"));

        Assert.Equal("missing_scope", e.Error);
        Assert.Equal("conversations.info", e.Method);
        Assert.Contains("channels:read", e.Detail);
        Assert.Single(_server.CallsTo("api/conversations.info"));
    }

    [Fact]
    public async Task ServerErrors_AreRetriedWithBackoff_ThenSucceed()
    {
        _server.Enqueue("api/auth.test", Reply.Status500(503), Reply.Status500(500));
        _server.Default("api/auth.test", Reply.Ok(new JsonObject { ["user_id"] = "UBOT", ["team_id"] = "T1" }));

        var result = await Client().Auth.Test();

        Assert.Equal("UBOT", result.UserId);
        Assert.Equal(3, _server.CallsTo("api/auth.test").Count);
    }

    [Fact]
    public async Task ServerErrors_GiveUpAfterMaxRetries_WithHttpStatusAsError()
    {
        _server.Default("api/auth.test", Reply.Status500(502));

        var e = await Assert.ThrowsAsync<SlackApiException>(() => Client(configure: o => o.MaxRetries = 3).Auth.Test());

        Assert.Equal("http_502", e.Error);
        Assert.Equal(4, _server.CallsTo("api/auth.test").Count); // the first attempt and 3 retries
    }

    [Fact]
    public async Task DroppedConnection_IsRetried_AsNetworkError()
    {
        _server.Enqueue("api/auth.test", Reply.Dropped());
        _server.Default("api/auth.test", Reply.Ok(new JsonObject { ["user_id"] = "UBOT" }));

        Assert.Equal("UBOT", (await Client().Auth.Test()).UserId);
        Assert.Equal(2, _server.CallsTo("api/auth.test").Count);
    }

    [Fact]
    public async Task DroppedConnectionEveryTime_FailsWithNetworkError()
    {
        _server.Default("api/auth.test", Reply.Dropped());

        var e = await Assert.ThrowsAsync<SlackApiException>(() => Client().Auth.Test());

        Assert.Equal("network_error", e.Error);
        Assert.Equal(3, _server.CallsTo("api/auth.test").Count);
        Assert.IsAssignableFrom<HttpRequestException>(e.InnerException);
    }

    [Fact]
    public async Task SlowAnswer_TimesOut_AndIsRetried()
    {
        _server.Enqueue("api/auth.test", new Reply { Delay = TimeSpan.FromSeconds(5), Body = "{\"ok\":true}" });
        _server.Default("api/auth.test", Reply.Ok(new JsonObject { ["user_id"] = "UBOT" }));

        var api = Client(configure: o => o.RequestTimeout = TimeSpan.FromMilliseconds(300));

        Assert.Equal("UBOT", (await api.Auth.Test()).UserId);
        Assert.Equal(2, _server.CallsTo("api/auth.test").Count);
    }

    [Fact]
    public async Task RateLimited_WaitsRetryAfterSeconds_ThenRetries()
    {
        var time = new RecordingTimeProvider();
        _server.Enqueue("api/chat.update", Reply.RateLimited("7"));
        _server.Default("api/chat.update", Reply.Ok(Posted()));
        var api = Client(time);

        var call = api.Chat.Update("C1", "1.1", "edited", null);

        // The client must be waiting on a 7-second timer, and must not have retried yet.
        await Poll.Until(() => time.Timers.Contains(TimeSpan.FromSeconds(7)), "the Retry-After wait");
        Assert.Single(_server.CallsTo("api/chat.update"));
        Assert.False(call.IsCompleted);

        time.Advance(TimeSpan.FromSeconds(7));
        var updated = await call.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal("C1", updated.Channel);
        Assert.Equal(2, _server.CallsTo("api/chat.update").Count);
    }

    [Fact]
    public async Task RateLimited_RetryAfterIsCapped()
    {
        var time = new RecordingTimeProvider();
        _server.Enqueue("api/chat.update", Reply.RateLimited("3600"));
        _server.Default("api/chat.update", Reply.Ok(Posted()));
        var api = Client(time, o => o.MaxRetryAfter = TimeSpan.FromSeconds(45));

        var call = api.Chat.Update("C1", "1.1", "edited", null);

        await Poll.Until(() => time.Timers.Contains(TimeSpan.FromSeconds(45)), "the capped wait");
        Assert.DoesNotContain(TimeSpan.FromSeconds(3600), time.Timers);
        time.Advance(TimeSpan.FromSeconds(45));
        await call.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(2, _server.CallsTo("api/chat.update").Count);
    }

    [Fact]
    public async Task RateLimitedEveryTime_FailsWithRatelimited()
    {
        _server.Default("api/chat.update", Reply.RateLimited("0"));

        var e = await Assert.ThrowsAsync<SlackApiException>(() => Client().Chat.Update("C1", "1.1", "x", null));

        Assert.Equal("ratelimited", e.Error);
        Assert.Equal(3, _server.CallsTo("api/chat.update").Count); // 1 + MaxRateLimitedRetries (2)
    }

    [Fact]
    public async Task History_FollowsCursorsAcrossThreePages()
    {
        _server.Default("api/conversations.history", req =>
        {
            var cursor = req.Form.GetValueOrDefault("cursor");
            var (page, next) = cursor switch { null => (1, "c2"), "c2" => (2, "c3"), "c3" => (3, ""), _ => (0, "") };
            var messages = new JsonArray();
            for (var i = 0; i < 2; i++)
                messages.Add(new JsonObject { ["type"] = "message", ["user"] = "U1", ["text"] = $"p{page}m{i}", ["ts"] = $"{page}.{i}" });
            return Reply.Ok(new JsonObject
            {
                ["messages"] = messages, ["has_more"] = next != "",
                ["response_metadata"] = new JsonObject { ["next_cursor"] = next },
            });
        });

        var messages = await Client(configure: o => o.PageSize = 2).Conversations.History("C1", oldest: "0.5");

        Assert.Equal(["p1m0", "p1m1", "p2m0", "p2m1", "p3m0", "p3m1"], messages.Select(m => m.Text));
        var calls = _server.CallsTo("api/conversations.history");
        Assert.Equal(3, calls.Count);
        Assert.All(calls, c => Assert.StartsWith("application/x-www-form-urlencoded", c.ContentType));
        Assert.Equal([null, "c2", "c3"], calls.Select(c => c.Form.GetValueOrDefault("cursor")));
        Assert.All(calls, c => Assert.Equal("2", c.Form["limit"]));
        Assert.All(calls, c => Assert.Equal("0.5", c.Form["oldest"]));
    }

    [Fact]
    public async Task Pagination_StopsOnARepeatedCursor()
    {
        _server.Default("api/conversations.members", Reply.Ok(new JsonObject
        {
            ["members"] = new JsonArray("U1"), ["response_metadata"] = new JsonObject { ["next_cursor"] = "same" },
        }));

        var members = await Client().Conversations.Members("C1");

        Assert.Equal(["U1", "U1"], members);
        Assert.Equal(2, _server.CallsTo("api/conversations.members").Count);
    }

    [Fact]
    public async Task UsersList_ReadsProfiles_AcrossPages()
    {
        _server.Enqueue("api/users.list", Reply.Ok(new JsonObject
        {
            ["members"] = new JsonArray(new JsonObject
            {
                ["id"] = "U1", ["name"] = "ada", ["tz"] = "Europe/London", ["tz_offset"] = 0,
                ["profile"] = new JsonObject { ["display_name"] = "Ada", ["title"] = "SRE", ["image_72"] = "https://img/1" },
            }),
            ["response_metadata"] = new JsonObject { ["next_cursor"] = "n" },
        }));
        _server.Enqueue("api/users.list", Reply.Ok(new JsonObject
        {
            ["members"] = new JsonArray(new JsonObject { ["id"] = "U2", ["is_bot"] = true }),
            ["response_metadata"] = new JsonObject { ["next_cursor"] = "" },
        }));

        var users = await Client().Users.List();

        Assert.Equal(["U1", "U2"], users.Select(u => u.Id));
        Assert.Equal("SRE", users[0].Profile!.Title);
        Assert.Equal("https://img/1", users[0].Profile!.Image72);
        Assert.Equal("Europe/London", users[0].Tz);
        Assert.True(users[1].IsBot);
    }

    [Fact]
    public async Task UploadFile_GetsUrl_PostsBytesWithoutToken_ThenCompletes()
    {
        _server.Default("api/files.getUploadURLExternal", Reply.Ok(new JsonObject
        {
            ["upload_url"] = _server.BaseUrl + "upload/F123", ["file_id"] = "F123",
        }));
        _server.Default("upload/F123", Reply.Text("OK - 11"));
        _server.Default("api/files.completeUploadExternal", Reply.Ok(new JsonObject
        {
            ["files"] = new JsonArray(new JsonObject { ["id"] = "F123", ["title"] = "Post-mortem", ["permalink"] = "https://slack/f/F123" }),
        }));

        var file = await Client().Files.Upload("doc.md", "hello world"u8.ToArray(), "Post-mortem", "C1", "Here it is", "1.2");

        Assert.Equal(new UploadedFile("F123", "Post-mortem", "https://slack/f/F123"), file);
        Assert.Equal(["files.getUploadURLExternal", "upload/F123", "files.completeUploadExternal"], _server.Requests.Select(r => r.Method));
        var ticket = _server.CallsTo("api/files.getUploadURLExternal")[0].Form;
        Assert.Equal("doc.md", ticket["filename"]);
        Assert.Equal("11", ticket["length"]);
        var upload = _server.CallsTo("upload/F123")[0];
        Assert.Equal("hello world", upload.Body);
        Assert.Equal("", upload.Authorization); // the bot token goes to the API only
        var complete = _server.CallsTo("api/files.completeUploadExternal")[0].Form;
        Assert.Equal("C1", complete["channel_id"]);
        Assert.Equal("Here it is", complete["initial_comment"]);
        Assert.Equal("1.2", complete["thread_ts"]);
        var files = JsonNode.Parse(complete["files"])!.AsArray();
        Assert.Equal("F123", (string?)files[0]!["id"]);
        Assert.Equal("Post-mortem", (string?)files[0]!["title"]);
    }

    [Fact]
    public async Task Respond_PostsJsonToResponseUrl_WithoutToken()
    {
        _server.Default("hooks/respond", Reply.Ok());

        await Client().Respond(_server.BaseUrl + "hooks/respond", MessageResponse.Ephemeral("done", [Block.Divider()]));

        var call = Assert.Single(_server.CallsTo("hooks/respond"));
        Assert.Equal("", call.Authorization);
        Assert.Equal("ephemeral", (string?)call.Json["response_type"]);
        Assert.Equal("done", (string?)call.Json["text"]);
        Assert.Equal("divider", (string?)call.Json["blocks"]![0]!["type"]);
    }

    [Fact]
    public async Task Respond_ExpiredUrl_Throws()
    {
        _server.Default("hooks/respond", Reply.Error("expired_url"));

        var e = await Assert.ThrowsAsync<SlackApiException>(() =>
            Client().Respond(_server.BaseUrl + "hooks/respond", MessageResponse.InChannel("late")));

        Assert.Equal("expired_url", e.Error);
    }

    [Fact]
    public async Task PostMessage_WithTooManyBlocks_SendsFifty_TheLastSayingHowManyMore()
    {
        _server.Default("api/chat.postMessage", Reply.Ok(Posted()));
        var blocks = Enumerable.Range(1, 60).Select(i => (Block)Block.Section($"line {i}")).ToList();

        await Client().Chat.PostMessage(new OutgoingMessage { Channel = "C1", Text = "long", Blocks = blocks });

        var sent = _server.CallsTo("api/chat.postMessage")[0].Json["blocks"]!.AsArray();
        Assert.Equal(50, sent.Count);
        Assert.Equal("line 49", (string?)sent[48]!["text"]!["text"]);
        Assert.Equal("context", (string?)sent[49]!["type"]);
        Assert.Equal("… 11 more not shown", (string?)sent[49]!["elements"]![0]!["text"]);
    }

    [Fact]
    public async Task Invite_AlreadyInChannel_IsSuccess_AndLongListsAreSplit()
    {
        _server.Enqueue("api/conversations.invite", Reply.Ok());
        _server.Default("api/conversations.invite", Reply.Error("already_in_channel"));
        var users = Enumerable.Range(0, 1500).Select(i => $"U{i}").ToList();

        await Client().Conversations.Invite("C1", users);

        var calls = _server.CallsTo("api/conversations.invite");
        Assert.Equal(2, calls.Count);
        Assert.Equal(1000, ((string)calls[0].Json["users"]!).Split(',').Length);
        Assert.Equal(500, ((string)calls[1].Json["users"]!).Split(',').Length);
    }

    [Fact]
    public async Task ConversationsCreate_ReadsTopicAndPurposeValues()
    {
        _server.Default("api/conversations.create", Reply.Ok(new JsonObject
        {
            ["channel"] = new JsonObject
            {
                ["id"] = "C9", ["name"] = "ops-1", ["is_private"] = true, ["is_member"] = true,
                ["topic"] = new JsonObject { ["value"] = "the topic" }, ["purpose"] = new JsonObject { ["value"] = "why" },
            },
        }));

        var c = await Client().Conversations.Create("ops-1", isPrivate: true);

        Assert.Equal(("C9", "ops-1", true, true, "the topic", "why"), (c.Id, c.Name, c.IsPrivate, c.IsMember, c.Topic, c.Purpose));
        Assert.Equal(true, (bool?)_server.CallsTo("api/conversations.create")[0].Json["is_private"]);
    }

    [Fact]
    public async Task Call_SendsAnyMethodAsForm_WithStructuredValuesAsJson()
    {
        _server.Default("api/reactions.add", Reply.Ok(new JsonObject { ["extra"] = 1 }));

        var r = await Client().Call("reactions.add", new Dictionary<string, object?>
        {
            ["channel"] = "C1", ["name"] = "eyes", ["timestamp"] = "1.1", ["skip"] = null, ["n"] = 3, ["flag"] = true,
        });

        Assert.Equal(1, r.GetProperty("extra").GetInt32());
        var form = _server.CallsTo("api/reactions.add")[0].Form;
        Assert.Equal(("C1", "eyes", "3", "true"), (form["channel"], form["name"], form["n"], form["flag"]));
        Assert.False(form.ContainsKey("skip"));
    }

    [Fact]
    public async Task NotJson_IsInvalidResponse()
    {
        _server.Default("api/auth.test", Reply.Text("<html>proxy error</html>"));

        var e = await Assert.ThrowsAsync<SlackApiException>(() => Client().Auth.Test());

        Assert.Equal("invalid_response", e.Error);
    }
}
