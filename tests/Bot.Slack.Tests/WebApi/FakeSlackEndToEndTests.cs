using Bot.Slack.Blocks;
using Bot.Slack.Handlers;
using Bot.Slack.Testing;
using Bot.Slack.Tests.Support;
using Bot.Slack.WebApi;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Slack.Tests.WebApi;

/// <summary>The client against FakeSlack over loopback HTTP: the fake checks methods and required arguments against
/// Slack's OpenAPI spec and keeps state like Slack, so these show the client speaks Slack's Web API.</summary>
public sealed class FakeSlackEndToEndTests : IAsyncLifetime
{
    private FakeSlack _slack = null!;
    private ServiceProvider _services = null!;
    private ISlackApi _api = null!;

    public async Task InitializeAsync()
    {
        _slack = await FakeSlack.StartAsync();
        (_api, _services) = Create();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _slack.DisposeAsync();
    }

    private (ISlackApi, ServiceProvider) Create(TimeProvider? time = null, Action<SlackWebApiOptions>? configure = null)
    {
        var services = new ServiceCollection();
        if (time is not null) services.AddSingleton(time);
        services.Configure<SlackOptions>(o =>
        {
            o.ApiUrl = _slack.ApiUrl;
            o.BotToken = _slack.BotToken;
        });
        services.Configure<SlackWebApiOptions>(o =>
        {
            o.InitialBackoff = TimeSpan.FromMilliseconds(5);
            o.MaxBackoff = TimeSpan.FromMilliseconds(20);
            o.MaxRetries = 2;
            configure?.Invoke(o);
        });
        services.AddSlackWebApi();
        var sp = services.BuildServiceProvider();
        return (sp.GetRequiredService<ISlackApi>(), sp);
    }

    [Fact]
    public async Task AuthTest_ReturnsTheBotsIdentity()
    {
        var me = await _api.Auth.Test();
        Assert.Equal(_slack.BotUserId, me.UserId);
        Assert.Equal(_slack.TeamId, me.TeamId);
    }

    [Fact]
    public async Task WrongToken_IsInvalidAuth()
    {
        var services = new ServiceCollection();
        services.Configure<SlackOptions>(o => { o.ApiUrl = _slack.ApiUrl; o.BotToken = "xoxb-wrong"; });
        services.AddSlackWebApi();
        await using var sp = services.BuildServiceProvider();

        var e = await Assert.ThrowsAsync<SlackApiException>(() => sp.GetRequiredService<ISlackApi>().Auth.Test());
        Assert.Equal("invalid_auth", e.Error);
    }

    [Fact]
    public async Task ChannelLifecycle_CreateInviteTopicPostPinArchive()
    {
        _slack.AddUser("U0ADA", "ada", title: "SRE");
        _slack.AddUser("U0BOB", "bob");

        var channel = await _api.Conversations.Create("ops-2026-outage");
        await _api.Conversations.Invite(channel.Id, ["U0ADA", "U0BOB"]);
        await _api.Conversations.Invite(channel.Id, ["U0ADA"]); // again: already there is fine
        await _api.Conversations.SetTopic(channel.Id, "Checkout is down");
        await _api.Conversations.SetPurpose(channel.Id, "Coordinating the fix");
        var posted = await _api.Chat.PostMessage(new OutgoingMessage
        {
            Channel = channel.Id,
            Text = "Kickoff",
            Blocks = [Block.Header("Kickoff"), Block.Section(Mrkdwn.Escape("<!channel> title")), Block.Divider(),
                Block.Actions(new ButtonElement("ack", "Acknowledge") { Style = ButtonStyle.Primary, Value = "1" })],
        });
        await _api.Pins.Add(channel.Id, posted.Ts);
        await _api.Pins.Add(channel.Id, posted.Ts); // already pinned is fine too
        var info = await _api.Conversations.Info(channel.Id);
        var members = await _api.Conversations.Members(channel.Id);
        var pins = await _api.Pins.List(channel.Id);
        var link = await _api.Chat.GetPermalink(channel.Id, posted.Ts);
        await _api.Chat.Update(channel.Id, posted.Ts, "Kickoff (edited)", null);
        await _api.Conversations.Archive(channel.Id);
        await _api.Conversations.Archive(channel.Id);

        Assert.Equal("ops-2026-outage", channel.Name);
        Assert.Equal("Checkout is down", info.Topic);
        Assert.Equal("Coordinating the fix", info.Purpose);
        Assert.Superset(new HashSet<string> { "U0ADA", "U0BOB", _slack.BotUserId }, members.ToHashSet());
        var pin = Assert.Single(pins);
        Assert.Equal(posted.Ts, pin.Message?.Ts);
        Assert.False(string.IsNullOrEmpty(link));
        var stored = Assert.Single(_slack.Messages(channel.Id));
        Assert.Equal("Kickoff (edited)", stored.Text);
        Assert.True(_slack.Channel(channel.Id)!.IsArchived);
        Assert.All(_slack.Calls, c => Assert.True(c.Ok || c.Error is "already_in_channel" or "already_pinned" or "already_archived", c.ToString()));
    }

    [Fact]
    public async Task DuplicateChannelName_IsNameTaken()
    {
        await _api.Conversations.Create("dup");
        var e = await Assert.ThrowsAsync<SlackApiException>(() => _api.Conversations.Create("dup"));
        Assert.Equal("name_taken", e.Error);
        Assert.Equal("conversations.create", e.Method);
    }

    [Fact]
    public async Task HistoryRepliesAndUsers_AreReadAcrossPages()
    {
        var (api, sp) = Create(configure: o => o.PageSize = 2);
        await using var _ = sp;
        _slack.AddUser("U0ADA", "ada", title: "SRE", tz: "Europe/Paris");
        for (var i = 0; i < 5; i++) _slack.AddUser($"U0X{i}", $"user{i}");
        var channel = _slack.AddChannel("history", members: ["U0ADA"]);
        var root = _slack.AddMessage(channel.Id, "U0ADA", "m0");
        for (var i = 1; i < 6; i++) _slack.AddMessage(channel.Id, "U0ADA", $"m{i}");
        for (var i = 0; i < 4; i++) _slack.AddMessage(channel.Id, "U0ADA", $"r{i}", threadTs: root.Ts);

        var history = await api.Conversations.History(channel.Id);
        var replies = await api.Conversations.Replies(channel.Id, root.Ts);
        var users = await api.Users.List();
        var ada = await api.Users.Info("U0ADA");

        Assert.Equal(["m5", "m4", "m3", "m2", "m1", "m0"], history.Select(m => m.Text)); // newest first
        Assert.Equal(3, _slack.CallsTo("conversations.history").Count);
        Assert.Equal(["m0", "r0", "r1", "r2", "r3"], replies.Select(m => m.Text));
        Assert.True(_slack.CallsTo("conversations.replies").Count >= 3);
        Assert.Superset(new HashSet<string> { "U0ADA", "U0X0", "U0X4", _slack.BotUserId }, users.Select(u => u.Id).ToHashSet());
        Assert.Equal(users.Count, users.Select(u => u.Id).Distinct().Count());
        Assert.Equal("SRE", ada.Profile?.Title);
        Assert.Equal("Europe/Paris", ada.Tz);
    }

    [Fact]
    public async Task UsergroupsAndDms()
    {
        _slack.AddUser("U0ADA", "ada");
        _slack.AddUserGroup("S0OPS", "ops", "Operations", "U0ADA");

        var groups = await _api.Usergroups.List();
        var dm = await _api.Conversations.Open(["U0ADA"]);
        await _api.Chat.PostMessage(new OutgoingMessage { Channel = dm, Text = "Please prepare the document" });
        var ephemeralChannel = _slack.AddChannel("eph", members: ["U0ADA"]);
        await _api.Chat.PostEphemeral("U0ADA", new OutgoingMessage { Channel = ephemeralChannel.Id, Text = "only you" });

        var ops = Assert.Single(groups);
        Assert.Equal(("S0OPS", "ops", "Operations"), (ops.Id, ops.Handle, ops.Name));
        Assert.Equal(["U0ADA"], ops.Users);
        Assert.Equal("Please prepare the document", Assert.Single(_slack.Messages(dm)).Text);
        Assert.Equal("only you", Assert.Single(_slack.Ephemerals(ephemeralChannel.Id)).Text);
    }

    [Fact]
    public async Task Views_OpenUpdatePublish()
    {
        _slack.AddUser("U0ADA", "ada");
        var modal = new ModalView("Edit a section that is far too long") // cut to 24, which the fake enforces
        {
            CallbackId = "edit",
            PrivateMetadata = "{\"id\":42}",
            Submit = "Save",
            Close = "Cancel",
            Blocks =
            [
                Block.Input("text", "Text", new PlainTextInputElement { ActionId = "text", Multiline = true }),
                Block.Input("when", "When", new DatePickerElement { ActionId = "when" }),
                Block.Input("at", "At", new TimePickerElement { ActionId = "at" }),
                Block.Input("who", "Who", new UsersSelectElement { ActionId = "who" }),
                Block.Input("many", "Many", new MultiUsersSelectElement { ActionId = "many" }),
                Block.Input("sev", "Severity", new StaticSelectElement("sev", [new SelectOption("High", "1"), new SelectOption("Low", "2")])),
            ],
        };

        var opened = await _api.Views.Open(_slack.NewTriggerId(), modal);
        var updated = await _api.Views.Update(opened.Id, modal with { Title = "Saved" });
        var home = await _api.Views.Publish("U0ADA", new HomeView { Blocks = [Block.Header("Welcome"), Block.Context("hi")] });

        Assert.Equal(opened.Id, updated.Id);
        Assert.Equal("Welcome", (string?)_slack.HomeView("U0ADA")!.Definition["blocks"]![0]!["text"]!["text"]);
        Assert.Equal("Edit a section that is…", (string?)_slack.CallsTo("views.open")[0].JsonArg("view")!["title"]!["text"]);
        Assert.NotEqual(opened.Id, home.Id);
    }

    [Fact]
    public async Task UploadFile_ThroughTheThreeSteps_SharesIntoTheChannel()
    {
        var channel = _slack.AddChannel("docs");
        var content = "# Post\n\nbody"u8.ToArray();

        var file = await _api.Files.Upload("doc.md", content, "The document", channel.Id, "Here it is");

        var stored = _slack.File(file.Id)!;
        Assert.Equal(content, stored.Content);
        Assert.True(stored.Completed);
        Assert.Contains(channel.Id, stored.Channels);
        Assert.Equal("The document", file.Title);
        Assert.Equal(["files.getUploadURLExternal", "files.completeUploadExternal"], _slack.Calls.Select(c => c.Method));
    }

    [Fact]
    public async Task Respond_ReachesTheResponseUrl()
    {
        var url = _slack.ResponseUrl();
        await _api.Respond(url, MessageResponse.InChannel("Done", [Block.Section("*done*")]));
        var response = await _slack.WaitForResponse(url);
        Assert.Equal("in_channel", (string?)response.Body!["response_type"]);
        Assert.Equal("section", (string?)response.Body!["blocks"]![0]!["type"]);
    }

    [Fact]
    public async Task InjectedServerErrors_AreRetried_ThenGivenUp()
    {
        _slack.FailNext("auth.test", 2, Failure.ServerError(500));
        Assert.Equal(_slack.BotUserId, (await _api.Auth.Test()).UserId);
        Assert.Equal(3, _slack.CallsTo("auth.test").Count);

        _slack.FailNext("auth.test", 3, Failure.ServerError(503));
        var e = await Assert.ThrowsAsync<SlackApiException>(() => _api.Auth.Test());
        Assert.Equal("http_503", e.Error);
        Assert.Equal(6, _slack.CallsTo("auth.test").Count);
    }

    [Fact]
    public async Task ConversationsCreate_WhoseAnswerIsLost_IsNotRepeated_TheCallerFindsOutWhatExists()
    {
        _slack.FailNext("conversations.create", Failure.AppliedThen(Failure.ServerError(500)));
        var e = await Assert.ThrowsAsync<SlackApiException>(() => _api.Conversations.Create("lost-answer"));
        Assert.Equal("http_500", e.Error);
        Assert.True(Assert.Single(_slack.CallsTo("conversations.create")).Lost);
        Assert.Single(_slack.Channels, c => c.Name == "lost-answer"); // Slack made it; a repeat would have met name_taken
    }

    [Fact]
    public async Task KeyedPost_WhoseAnswerIsLost_IsFoundInHistory_NotPostedAgain()
    {
        var channel = _slack.AddChannel("keyed");
        _slack.FailNext("chat.postMessage", Failure.AppliedThen(Failure.ServerError(502)));
        var posted = await _api.Chat.PostMessage(new OutgoingMessage { Channel = channel.Id, Text = "once", IdempotencyKey = "k-1" });

        var message = Assert.Single(_slack.Messages(channel.Id));
        Assert.Equal(message.Ts, posted.Ts);
        Assert.Equal("k-1", message.Metadata!["event_payload"]!["key"]!.ToString());
        Assert.True(Assert.Single(_slack.CallsTo("chat.postMessage")).Lost);
        Assert.Equal("true", _slack.CallsTo("conversations.history").Single().Arg("include_all_metadata"));

        // A later run that may have posted it looks first, and finds it.
        var again = await _api.Chat.PostMessage(new OutgoingMessage { Channel = channel.Id, Text = "once", IdempotencyKey = "k-1", LookFirst = true });
        Assert.Equal(message.Ts, again.Ts);
        Assert.Single(_slack.Messages(channel.Id));
        // Another key is another message.
        await _api.Chat.PostMessage(new OutgoingMessage { Channel = channel.Id, Text = "twice", IdempotencyKey = "k-2", LookFirst = true });
        Assert.Equal(2, _slack.Messages(channel.Id).Count);
    }

    [Fact]
    public async Task UnkeyedPost_WhoseAnswerIsLost_IsRetried_AndLandsTwice_WhichIsWhyJobsKeyTheirPosts()
    {
        var channel = _slack.AddChannel("unkeyed");
        _slack.FailNext("chat.postMessage", Failure.AppliedThen(Failure.ServerError(500)));
        await _api.Chat.PostMessage(new OutgoingMessage { Channel = channel.Id, Text = "twice" });
        Assert.Equal(2, _slack.Messages(channel.Id).Count);
    }

    [Fact]
    public async Task Outage_ForNCallsOfSomeMethods_FailsExactlyThose_AndIsCounted()
    {
        _slack.StartOutage(Failure.ServerError(503), calls: 2, methods: "auth.test");
        Assert.True(_slack.InOutage);
        Assert.Equal(_slack.BotUserId, (await _api.Auth.Test()).UserId); // two 503s, then the client's third try
        Assert.Equal([503, 503, 200], _slack.CallsTo("auth.test").Select(c => c.HttpStatus));
        Assert.Equal(2, _slack.OutageFaults);
        Assert.False(_slack.InOutage);
    }

    [Fact]
    public async Task Outage_ThatHangsPastTheClientTimeout_IsATimeout_RecordedAs499()
    {
        var (api, services) = Create(configure: o =>
        {
            o.RequestTimeout = TimeSpan.FromMilliseconds(200);
            o.MaxRetries = 1;
        });
        await using var _ = services;
        _slack.StartOutage(Failure.Delay(TimeSpan.FromSeconds(5)));
        var e = await Assert.ThrowsAsync<SlackApiException>(() => api.Auth.Test());
        Assert.Equal("timeout", e.Error);
        _slack.EndOutage();
        await _slack.WaitForCalls("auth.test", 2);
        Assert.All(_slack.CallsTo("auth.test"), c => Assert.Equal(499, c.HttpStatus));
    }

    [Fact]
    public async Task InjectedRateLimit_WaitsRetryAfter_ThenSucceeds()
    {
        var time = new RecordingTimeProvider();
        var (api, sp) = Create(time);
        await using var _ = sp;
        _slack.FailNext("chat.postMessage", Failure.RateLimited(2));
        var channel = _slack.AddChannel("busy");

        var post = api.Chat.PostMessage(new OutgoingMessage { Channel = channel.Id, Text = "hi" });
        await Poll.Until(() => time.Timers.Contains(TimeSpan.FromSeconds(2)), "the Retry-After wait");
        Assert.Empty(_slack.Messages(channel.Id));

        time.Advance(TimeSpan.FromSeconds(2));
        await post.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal([429, 200], _slack.CallsTo("chat.postMessage").Select(c => c.HttpStatus));
        Assert.Single(_slack.Messages(channel.Id));
    }

    [Fact]
    public async Task InjectedError_IsMappedToItsCode()
    {
        _slack.FailNext("users.info", Failure.Error("user_not_found"));
        var e = await Assert.ThrowsAsync<SlackApiException>(() => _api.Users.Info("U0NOPE"));
        Assert.Equal("user_not_found", e.Error);
        Assert.Single(_slack.CallsTo("users.info"));
    }
}
