using System.Collections.Concurrent;
using System.Data.Common;
using System.Net;
using System.Text.Json.Nodes;
using Bot.Slack.Dispatch;
using Bot.Slack.Events;
using Bot.Slack.Handlers;
using Bot.Slack.Interactivity;
using Bot.Slack.Testing;
using Bot.Slack.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Slack.Tests.Dispatch;

/// <summary>After-ack work goes through the <see cref="ISlackInbox"/>: stored before the ack (or not acked), marked
/// done after its handlers, run again when the database failed under a handler, replayed when another process left it.</summary>
public class InboxTests
{
    private const string Button = """{"type":"block_actions","channel":{"id":"C7"},"actions":[{"action_id":"press","value":"v1"}]}""";

    private static Task<SlackTestApp> App(RecordingInbox inbox, Action<SlackBuilder> handlers) =>
        SlackTestApp.Start(b =>
        {
            b.Services.AddSingleton<ISlackInbox>(inbox);
            handlers(b);
        }, o => o.InboxPollInterval = TimeSpan.FromMilliseconds(50));

    [Fact]
    public async Task StoredWork_RunsThenIsMarkedDone_WithWhatSlackSent()
    {
        var inbox = new RecordingInbox();
        await using var app = await App(inbox, b => b.AddBlockAction<ButtonHandler>(ButtonHandler.ActionId));

        using var response = await app.PostInteraction(Button);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var (id, item) = Assert.Single(inbox.Stored);
        Assert.Equal(SlackInboxKind.Interaction, item.Kind);
        Assert.Equal("C7", item.Partition);
        Assert.Equal(Button, item.Body);
        await Poll.Until(() => inbox.Done.Contains(id), "the row marked done");
        Assert.Equal(1, app.Probe.Count("button"));
    }

    [Fact]
    public async Task NotStored_IsNotAcked_AndNeverQueued()
    {
        var inbox = new RecordingInbox { Refuse = true };
        await using var app = await App(inbox, b => b
            .AddBlockAction<ButtonHandler>(ButtonHandler.ActionId)
            .AddEventHandler<MessageEvent, MessageRecorder>());

        using var click = await app.PostInteraction(Button);
        using var message = await app.PostEvent(EventJson.Envelope("""{"type":"message","channel":"C1","text":"hi","ts":"1.1"}"""));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, click.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, message.StatusCode);
        Assert.Equal(0, app.Services.GetRequiredService<SlackWorkQueue>().Pending);
        Assert.Empty(app.Probe.Calls);
    }

    [Fact]
    public async Task DatabaseFailsUnderTheHandler_TheWorkRunsAgain_ThenIsDoneOnce()
    {
        var inbox = new RecordingInbox();
        await using var app = await App(inbox, b => b.AddBlockAction<FlakyStorageButton>(FlakyStorageButton.ActionId));

        using var response = await app.PostInteraction(Button.Replace("press", FlakyStorageButton.ActionId));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var (id, _) = Assert.Single(inbox.Stored);
        await Poll.Until(() => inbox.Done.Contains(id), "the row marked done after the second run");
        Assert.Equal(2, app.Probe.Count("flaky-run"));
        Assert.Equal(1, app.Probe.Count("flaky-succeeded"));
        Assert.Equal([id], inbox.Reclaimed);
        Assert.Single(inbox.Done, d => d == id);
    }

    [Fact]
    public async Task HandlerBug_IsNotRetried_TheRowIsDone()
    {
        var inbox = new RecordingInbox();
        await using var app = await App(inbox, b => b.AddEventHandler<MessageEvent, ThrowingMessageHandler>());

        using var response = await app.PostEvent(EventJson.Envelope("""{"type":"message","channel":"C1","text":"boom","ts":"1.1"}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var (id, item) = Assert.Single(inbox.Stored);
        Assert.Equal(SlackInboxKind.Event, item.Kind);
        await Poll.Until(() => inbox.Done.Contains(id), "the row marked done");
        Assert.Empty(inbox.Reclaimed);
    }

    [Fact]
    public async Task AbandonedRows_AreReplayedThroughTheSameHandlers_InOrder_ThenDone()
    {
        var inbox = new RecordingInbox();
        inbox.Abandoned.Enqueue(new SlackInboxRow(41, new SlackInboxItem(SlackInboxKind.Event, SlackTransport.SocketMode, "C1",
            EventJson.Envelope("""{"type":"message","channel":"C1","text":"first","ts":"1.1"}""", "EvA")), 2));
        inbox.Abandoned.Enqueue(new SlackInboxRow(42, new SlackInboxItem(SlackInboxKind.Interaction, SlackTransport.Http, "C7", Button), 2));
        inbox.Abandoned.Enqueue(new SlackInboxRow(43, new SlackInboxItem(SlackInboxKind.Event, SlackTransport.SocketMode, "C1",
            EventJson.Envelope("""{"type":"message","channel":"C1","text":"second","ts":"1.2"}""", "EvB")), 2));
        inbox.Abandoned.Enqueue(new SlackInboxRow(44, new SlackInboxItem(SlackInboxKind.Interaction, SlackTransport.Http, null, "not json"), 2));

        await using var app = await App(inbox, b => b
            .AddBlockAction<ButtonHandler>(ButtonHandler.ActionId)
            .AddEventHandler<MessageEvent, MessageRecorder>());

        await Poll.Until(() => new long[] { 41, 42, 43, 44 }.All(inbox.Done.Contains), "every row done");
        Assert.Equal(["first", "second"], app.Probe.Calls.Where(c => c.Handler == "message").Select(c => ((MessageEvent)c.Input).Text));
        var (context, _) = ((EventContext, Guid))app.Probe.Calls.First(c => c.Handler == "message").Extra!;
        Assert.Equal(("EvA", SlackTransport.SocketMode), (context.EventId, context.Transport));
        Assert.Equal("v1", ((BlockAction)app.Probe.Single("button").Input).Value);
    }

    [Fact]
    public async Task SlashCommand_DatabaseDown_IsToldToTryAgain()
    {
        await using var app = await App(new RecordingInbox(), b => b.AddSlashCommand<StorageDownCommand>("/down"));

        using var response = await app.PostCommand("/down", "x");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("ephemeral", body["response_type"]!.ToString());
        Assert.Equal("The bot can't reach its database right now; try again in a moment.", body["text"]!.ToString());
    }

    [Fact]
    public async Task ViewSubmission_DatabaseDown_IsNotAcked_SoTheModalStaysOpen()
    {
        await using var app = await App(new RecordingInbox(), b => b.AddViewSubmission<StorageDownSubmission>("form"));

        using var response = await app.PostInteraction("""{"type":"view_submission","view":{"callback_id":"form","state":{"values":{}}}}""");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
    }

    [Fact]
    public async Task SocketMode_NotStored_IsNotAcked_TheRedeliveryIsStoredWithItsTransport()
    {
        await using var slack = await FakeSlack.StartAsync();
        var inbox = new RecordingInbox { Refuse = true };
        await using var app = await SlackTestApp.Start(b =>
        {
            b.Services.AddSingleton<ISlackInbox>(inbox);
            b.AddBlockAction<ButtonHandler>(ButtonHandler.ActionId);
        }, o =>
        {
            o.AppToken = slack.AppToken;
            o.BotToken = slack.BotToken;
            o.ApiUrl = slack.ApiUrl;
        });
        await slack.WaitForSocketConnection(1);

        await Assert.ThrowsAsync<TimeoutException>(() => slack.SendEnvelope("interactive", Button, timeout: TimeSpan.FromSeconds(1)));
        Assert.Empty(app.Probe.Calls);

        inbox.Refuse = false;
        await slack.SendEnvelope("interactive", Button);
        var (_, item) = Assert.Single(inbox.Stored);
        Assert.Equal((SlackInboxKind.Interaction, SlackTransport.SocketMode), (item.Kind, item.Transport));
        Assert.Equal("v1", JsonNode.Parse(item.Body)!["actions"]![0]!["value"]!.ToString());
        await Poll.Until(() => app.Probe.Count("button") == 1, "the button handler");
    }

    [Fact]
    public async Task ConditionalHandler_AnEventItDoesNotWant_IsNeitherStoredNorRun()
    {
        var inbox = new RecordingInbox();
        await using var app = await App(inbox, b => b
            .AddEventHandler<SlackEvent, EverythingRecorder>(when: (_, e, _) => e is MessageEvent { Text: "wanted" }));

        using var plain = await app.PostEvent(EventJson.Envelope("""{"type":"message","channel":"C1","text":"hi","ts":"1.1"}""", "Ev1"));
        using var wanted = await app.PostEvent(EventJson.Envelope("""{"type":"message","channel":"C1","text":"wanted","ts":"1.2"}""", "Ev2"));

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (plain.StatusCode, wanted.StatusCode));
        var (id, item) = Assert.Single(inbox.Stored);
        Assert.Contains("\"Ev2\"", item.Body);
        await Poll.Until(() => inbox.Done.Contains(id), "the wanted event's row marked done");
        var (_, recorded, _) = app.Probe.Single("any");
        Assert.Equal("1.2", ((MessageEvent)recorded).Ts);
    }

    [Fact]
    public async Task ConditionThatFails_CountsAsWanting_SoTheEventIsStoredAndRun()
    {
        var inbox = new RecordingInbox();
        await using var app = await App(inbox, b => b
            .AddEventHandler<MessageEvent, MessageRecorder>(when: (_, _, _) => throw new FakeDbException("connection refused")));

        using var response = await app.PostEvent(EventJson.Envelope("""{"type":"message","channel":"C1","text":"hi","ts":"1.1"}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var (id, _) = Assert.Single(inbox.Stored);
        await Poll.Until(() => inbox.Done.Contains(id), "the row marked done");
        Assert.Equal(1, app.Probe.Count("message"));
    }

    [Fact]
    public void Condition_OnABeforeAckHandler_IsRefusedAtRegistration()
    {
        var builder = new ServiceCollection().AddSlack();
        var refused = Assert.Throws<ArgumentException>(() =>
            builder.AddEventHandler<MessageEvent, MessageRecorder>(EventTiming.BeforeAck, when: (_, _, _) => true));
        Assert.Contains("before-ack", refused.Message);
    }

    [Fact]
    public async Task Shutdown_LeavesTheInbox()
    {
        var inbox = new RecordingInbox();
        var app = await App(inbox, b => b.AddBlockAction<ButtonHandler>(ButtonHandler.ActionId));
        Assert.True(inbox.Polls > 0, "the lease is taken before the app serves");
        await app.DisposeAsync();
        Assert.True(inbox.Left);
    }
}

public sealed class FakeDbException(string message) : DbException(message);

public sealed class FlakyStorageButton(Probe probe) : IBlockActionHandler
{
    public const string ActionId = "flaky";

    public Task Handle(BlockAction action, BlockActionsPayload payload, CancellationToken ct)
    {
        probe.Record("flaky-run", action);
        if (probe.Count("flaky-run") == 1) throw new InvalidOperationException("wrapped", new FakeDbException("connection refused"));
        probe.Record("flaky-succeeded", action);
        return Task.CompletedTask;
    }
}

public sealed class StorageDownCommand : ISlashCommandHandler
{
    public Task<MessageResponse?> Handle(SlashCommand command, CancellationToken ct) => throw new FakeDbException("connection refused");
}

public sealed class StorageDownSubmission : IViewSubmissionHandler
{
    public Task<ViewSubmissionResponse?> Handle(ViewSubmissionPayload payload, CancellationToken ct) => throw new FakeDbException("connection refused");
}

/// <summary>An inbox that records what the dispatcher does with it.</summary>
public sealed class RecordingInbox : ISlackInbox
{
    private long _ids;

    public bool Refuse { get; set; }
    public ConcurrentQueue<(long Id, SlackInboxItem Item)> Stored { get; } = new();
    public ConcurrentQueue<long> Done { get; } = new();
    public ConcurrentQueue<long> Reclaimed { get; } = new();
    public ConcurrentQueue<SlackInboxRow> Abandoned { get; } = new();
    public int Polls { get; private set; }
    public bool Left { get; private set; }

    public Task<long?> Store(SlackInboxItem item, CancellationToken ct)
    {
        if (Refuse) return Task.FromResult<long?>(null);
        var id = Interlocked.Increment(ref _ids);
        Stored.Enqueue((id, item));
        return Task.FromResult<long?>(id);
    }

    Task ISlackInbox.Done(long id, CancellationToken ct)
    {
        Done.Enqueue(id);
        return Task.CompletedTask;
    }

    public Task<bool> Reclaim(long id, CancellationToken ct)
    {
        Reclaimed.Enqueue(id);
        return Task.FromResult(true);
    }

    public Task<IReadOnlyList<SlackInboxRow>> ClaimAbandoned(int max, CancellationToken ct)
    {
        Polls++;
        var rows = new List<SlackInboxRow>();
        while (rows.Count < max && Abandoned.TryDequeue(out var row)) rows.Add(row);
        return Task.FromResult<IReadOnlyList<SlackInboxRow>>(rows);
    }

    public Task Leave(CancellationToken ct)
    {
        Left = true;
        return Task.CompletedTask;
    }
}
