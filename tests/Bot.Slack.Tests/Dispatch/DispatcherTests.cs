using Bot.Slack.Dispatch;
using Bot.Slack.Events;
using Bot.Slack.Handlers;
using Bot.Slack.Interactivity;
using Bot.Slack.Parsing;
using Bot.Slack.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bot.Slack.Tests.Dispatch;

public class DispatcherTests
{
    private static EventContext Context(SlackEvent e, string eventId = "Ev1") =>
        new(eventId, "T1", "A1", 1, null, null, SlackTransport.Http, new EventCallback { EventId = eventId, TeamId = "T1", Event = e });

    private static Task<SlackTestApp> App(Action<SlackBuilder> handlers) => SlackTestApp.Start(handlers);

    [Fact]
    public void DuplicateSlashCommand_FailsAtRegistration()
    {
        var builder = new ServiceCollection().AddSlack().AddSlashCommand<EchoCommand>("/echo");
        var ex = Assert.Throws<InvalidOperationException>(() => builder.AddSlashCommand<OtherEchoCommand>("echo"));
        Assert.Contains("/echo", ex.Message);
        Assert.Contains(nameof(EchoCommand), ex.Message);
    }

    [Fact]
    public async Task MapSlack_WithoutAddSlack_SaysWhatIsMissing()
    {
        var builder = Microsoft.AspNetCore.Builder.WebApplication.CreateSlimBuilder();
        await using var app = builder.Build();
        var ex = Assert.Throws<InvalidOperationException>(() => app.MapSlack());
        Assert.Contains("AddSlack", ex.Message);
    }

    [Fact]
    public void DuplicateKeys_FailAcrossAddSlackCalls_AndPerKind()
    {
        var services = new ServiceCollection();
        services.AddSlack().AddBlockAction<ButtonHandler>("press").AddViewSubmission<FormSubmission>("form");
        var again = services.AddSlack();
        Assert.Throws<InvalidOperationException>(() => again.AddBlockAction<ButtonHandler>("press"));
        Assert.Throws<InvalidOperationException>(() => again.AddViewSubmission<FormSubmission>("form"));
        // The same key for a different kind of route is not a clash.
        again.AddViewClosed<FormClosed>("form").AddMessageShortcut<AddToSomething>("press").AddGlobalShortcut<StartSomething>("press");
        Assert.Throws<InvalidOperationException>(() => again.AddGlobalShortcut<StartSomething>("press"));
        Assert.Throws<InvalidOperationException>(() => again.AddMessageShortcut<AddToSomething>("press"));
        Assert.Throws<InvalidOperationException>(() => again.AddViewClosed<FormClosed>("form"));
        Assert.Throws<InvalidOperationException>(() => again.AddEventHandler<MessageEvent, MessageRecorder>().AddEventHandler<MessageEvent, MessageRecorder>());
    }

    [Fact]
    public async Task Events_GoToTheirTypeAndToCatchAll_InOneScopePerEvent()
    {
        await using var app = await App(b => b
            .AddEventHandler<MessageEvent, MessageRecorder>()
            .AddEventHandler<SlackEvent, EverythingRecorder>()
            .AddEventHandler<ReactionAddedEvent, ReactionRecorder>());
        var dispatcher = app.Services.GetRequiredService<SlackDispatcher>();

        Assert.True(await dispatcher.EnqueueEvent(Context(new MessageEvent { Type = "message", Text = "hi" }, "Ev1")));
        Assert.True(await dispatcher.EnqueueEvent(Context(new ReactionAddedEvent { Type = "reaction_added", Reaction = "eyes" }, "Ev2")));
        Assert.True(await dispatcher.EnqueueEvent(Context(new UnknownEvent { Type = "brand_new" }, "Ev3")));

        await Poll.Until(() => app.Probe.Calls.Count == 5, "five handler calls");
        Assert.Equal("hi", ((MessageEvent)app.Probe.Single("message").Input).Text);
        Assert.Equal("eyes", ((ReactionAddedEvent)app.Probe.Single("reaction").Input).Reaction);
        Assert.Equal(3, app.Probe.Count("any"));

        var messageScope = (((EventContext, Guid))app.Probe.Single("message").Extra!).Item2;
        var anyScopes = app.Probe.Calls.Where(c => c.Handler == "any").Select(c => (((EventContext, Guid))c.Extra!)).ToList();
        Assert.Equal(messageScope, anyScopes.Single(s => s.Item1.EventId == "Ev1").Item2);
        Assert.Equal(3, anyScopes.Select(s => s.Item2).Distinct().Count());
    }

    [Fact]
    public async Task FailingEventHandler_IsLogged_AndOtherHandlersStillRun()
    {
        await using var app = await App(b => b
            .AddEventHandler<MessageEvent, ThrowingMessageHandler>()
            .AddEventHandler<MessageEvent, MessageRecorder>());
        var dispatcher = app.Services.GetRequiredService<SlackDispatcher>();

        Assert.True(await dispatcher.EnqueueEvent(Context(new MessageEvent { Type = "message", Subtype = "bot_message" }, "EvFail")));

        await Poll.Until(() => app.Probe.Count("message") == 1, "the second handler");
        var error = Assert.Single(app.Logs.Entries, e => e.Level == LogLevel.Error);
        Assert.Contains("EvFail", error.Message);
        Assert.Contains("T1", error.Message);
        Assert.Contains("message", error.Message);
        Assert.Contains(nameof(ThrowingMessageHandler), error.Message);
        Assert.DoesNotContain(SlackTestApp.Secret, error.Message);
    }

    [Fact]
    public async Task SlashCommand_RoutesByCommand_AndUnknownCommandAcksEmpty()
    {
        await using var app = await App(b => b.AddSlashCommand<EchoCommand>(EchoCommand.Command).AddSlashCommand<ThrowingCommand>(ThrowingCommand.Command));
        var dispatcher = app.Services.GetRequiredService<SlackDispatcher>();

        var ack = await dispatcher.HandleSlashCommand(new SlashCommand { Command = "/ECHO", Text = "x" });
        Assert.Equal("echo: x", Assert.IsType<MessageResponse>(ack.Body).Text);

        Assert.Equal(SlackAck.Empty, await dispatcher.HandleSlashCommand(new SlashCommand { Command = "/nobody" }));

        Assert.Equal(SlackAck.Empty, await dispatcher.HandleSlashCommand(new SlashCommand { Command = ThrowingCommand.Command, TeamId = "T9" }));
        Assert.Contains(app.Logs.Entries, e => e.Level == LogLevel.Error && e.Message.Contains(nameof(ThrowingCommand)) && e.Message.Contains("T9"));
    }

    [Fact]
    public async Task Interactions_RouteByActionIdAndCallbackId()
    {
        await using var app = await App(b => b
            .AddBlockAction<ButtonHandler>(ButtonHandler.ActionId)
            .AddViewSubmission<FormSubmission>(FormSubmission.CallbackId)
            .AddViewClosed<FormClosed>(FormSubmission.CallbackId)
            .AddMessageShortcut<AddToSomething>(AddToSomething.CallbackId)
            .AddGlobalShortcut<StartSomething>(StartSomething.CallbackId));
        var dispatcher = app.Services.GetRequiredService<SlackDispatcher>();

        var actions = SlackParser.ParseInteraction("""{"type":"block_actions","actions":[{"action_id":"other"},{"action_id":"press","value":"v1"}]}""");
        Assert.Equal(SlackAck.Empty, await dispatcher.HandleInteraction(actions));
        Assert.Equal(SlackAck.Empty, await dispatcher.HandleInteraction(SlackParser.ParseInteraction("""{"type":"view_closed","view":{"callback_id":"form"}}""")));
        Assert.Equal(SlackAck.Empty, await dispatcher.HandleInteraction(SlackParser.ParseInteraction("""{"type":"message_action","callback_id":"add_message","message":{"ts":"1.2","text":"t"}}""")));
        Assert.Equal(SlackAck.Empty, await dispatcher.HandleInteraction(SlackParser.ParseInteraction("""{"type":"shortcut","callback_id":"start"}""")));
        Assert.Equal(SlackAck.Empty, await dispatcher.HandleInteraction(SlackParser.ParseInteraction("""{"type":"shortcut","callback_id":"unrouted"}""")));

        var ack = await dispatcher.HandleInteraction(SlackParser.ParseInteraction("""{"type":"view_submission","view":{"callback_id":"form","state":{"values":{}}}}"""));
        var response = Assert.IsType<ViewSubmissionResponse>(ack.Body);
        Assert.Equal("errors", response.ResponseAction);

        await Poll.Until(() => app.Probe.Calls.Count == 5, "five interaction handlers");
        Assert.Equal("v1", ((BlockAction)app.Probe.Single("button").Input).Value);
        Assert.Equal("1.2", ((MessageShortcutPayload)app.Probe.Single("message-shortcut").Input).Message!.Ts);
        Assert.Equal("start", ((GlobalShortcutPayload)app.Probe.Single("global-shortcut").Input).CallbackId);
        Assert.Equal("form", ((ViewClosedPayload)app.Probe.Single("closed").Input).View.CallbackId);
        app.Probe.Single("submit");
    }

    [Fact]
    public async Task FullQueue_RefusesToAck()
    {
        await using var app = await SlackTestApp.Start(
            b => b.AddEventHandler<MessageEvent, GatedMessageHandler>(),
            o => { o.WorkQueueCapacity = 1; o.WorkerCount = 1; });
        var dispatcher = app.Services.GetRequiredService<SlackDispatcher>();

        Assert.True(await dispatcher.EnqueueEvent(Context(new MessageEvent { Type = "message" }, "Ev1")));
        await Poll.Until(() => app.Probe.Count("gated-started") == 1, "the worker to take the first event");
        Assert.True(await dispatcher.EnqueueEvent(Context(new MessageEvent { Type = "message" }, "Ev2")));
        Assert.False(await dispatcher.EnqueueEvent(Context(new MessageEvent { Type = "message" }, "Ev3")));

        app.Probe.Gate.SetResult();
        await Poll.Until(() => app.Probe.Count("gated-done") == 2, "both queued events");
    }

    [Fact]
    public async Task Shutdown_DrainsQueuedEvents()
    {
        var app = await SlackTestApp.Start(b => b.AddEventHandler<MessageEvent, GatedMessageHandler>(), o => o.WorkerCount = 2);
        var dispatcher = app.Services.GetRequiredService<SlackDispatcher>();
        var probe = app.Probe;
        for (var i = 0; i < 5; i++) Assert.True(await dispatcher.EnqueueEvent(Context(new MessageEvent { Type = "message" }, "Ev" + i)));
        await Poll.Until(() => probe.Count("gated-started") == 2, "two workers busy");

        var stopping = app.DisposeAsync().AsTask();
        Assert.False(stopping.IsCompleted);
        probe.Gate.SetResult();
        await Poll.Within(stopping, "shutdown");
        Assert.Equal(5, probe.Count("gated-done"));
    }

    [Fact]
    public async Task EventsOfOneChannel_RunInArrivalOrder_WhileOtherChannelsProceed()
    {
        await using var app = await App(b => b.AddEventHandler<MessageEvent, OrderRecorder>());
        var dispatcher = app.Services.GetRequiredService<SlackDispatcher>();
        var queue = app.Services.GetRequiredService<SlackWorkQueue>();
        var other = Enumerable.Range(0, 100).Select(i => "C" + i).First(c => queue.LaneOf(c) != queue.LaneOf("CBUSY"));

        // CBUSY's first event holds its lane; CBUSY's later events wait behind it, the other channel does not.
        Assert.True(await dispatcher.EnqueueEvent(Context(new MessageEvent { Type = "message", Channel = "CBUSY", Text = "hold" }, "Ev-hold")));
        for (var i = 0; i < 50; i++)
        {
            Assert.True(await dispatcher.EnqueueEvent(Context(new MessageEvent { Type = "message", Channel = "CBUSY", Text = i.ToString() }, "EvB" + i)));
            Assert.True(await dispatcher.EnqueueEvent(Context(new MessageEvent { Type = "message", Channel = other, Text = i.ToString() }, "EvO" + i)));
        }

        await Poll.Until(() => app.Probe.Count("order:" + other) == 50, "the other channel's events");
        Assert.Equal(0, app.Probe.Count("order:CBUSY"));
        app.Probe.Gate.SetResult();
        await Poll.Until(() => app.Probe.Count("order:CBUSY") == 51, "the held channel's events");

        string[] Order(string channel) => app.Probe.Calls.Where(c => c.Handler == "order:" + channel).Select(c => (string)c.Input).ToArray();
        Assert.Equal(Enumerable.Range(0, 50).Select(i => i.ToString()), Order(other));
        Assert.Equal(new[] { "hold" }.Concat(Enumerable.Range(0, 50).Select(i => i.ToString())), Order("CBUSY"));
    }
}
