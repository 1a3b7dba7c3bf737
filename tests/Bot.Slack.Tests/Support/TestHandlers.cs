using Bot.Slack.Events;
using Bot.Slack.Handlers;
using Bot.Slack.Interactivity;

namespace Bot.Slack.Tests.Support;

/// <summary>A scoped dependency: the same instance within one request's scope, a new one per request.</summary>
public sealed class ScopedThing
{
    public Guid Id { get; } = Guid.NewGuid();
}

public sealed class MessageRecorder(Probe probe, ScopedThing scoped) : IEventHandler<MessageEvent>
{
    public Task Handle(MessageEvent slackEvent, EventContext context, CancellationToken ct)
    {
        probe.Record("message", slackEvent, (context, scoped.Id));
        return Task.CompletedTask;
    }
}

public sealed class EverythingRecorder(Probe probe, ScopedThing scoped) : IEventHandler<SlackEvent>
{
    public Task Handle(SlackEvent slackEvent, EventContext context, CancellationToken ct)
    {
        probe.Record("any", slackEvent, (context, scoped.Id));
        return Task.CompletedTask;
    }
}

public sealed class ReactionRecorder(Probe probe) : IEventHandler<ReactionAddedEvent>
{
    public Task Handle(ReactionAddedEvent slackEvent, EventContext context, CancellationToken ct)
    {
        probe.Record("reaction", slackEvent, context);
        return Task.CompletedTask;
    }
}

public sealed class GatedMessageHandler(Probe probe) : IEventHandler<MessageEvent>
{
    public async Task Handle(MessageEvent slackEvent, EventContext context, CancellationToken ct)
    {
        probe.Record("gated-started", slackEvent);
        await probe.Gate.Task.WaitAsync(ct);
        probe.Record("gated-done", slackEvent);
    }
}

public sealed class ThrowingMessageHandler : IEventHandler<MessageEvent>
{
    public Task Handle(MessageEvent slackEvent, EventContext context, CancellationToken ct) =>
        throw new InvalidOperationException("handler bug");
}

public sealed class EchoCommand(Probe probe) : ISlashCommandHandler
{
    public const string Command = "/echo";

    public Task<MessageResponse?> Handle(SlashCommand command, CancellationToken ct)
    {
        probe.Record("echo", command);
        return Task.FromResult<MessageResponse?>(MessageResponse.Ephemeral("echo: " + command.Text));
    }
}

public sealed class SlowCommand(Probe probe) : ISlashCommandHandler
{
    public const string Command = "/slow";

    public async Task<MessageResponse?> Handle(SlashCommand command, CancellationToken ct)
    {
        await probe.Gate.Task.WaitAsync(ct);
        probe.Record("slow", command);
        return MessageResponse.InChannel("finished late");
    }
}

public sealed class ThrowingCommand : ISlashCommandHandler
{
    public const string Command = "/boom";

    public Task<MessageResponse?> Handle(SlashCommand command, CancellationToken ct) =>
        throw new InvalidOperationException("command bug");
}

public sealed class OtherEchoCommand : ISlashCommandHandler
{
    public Task<MessageResponse?> Handle(SlashCommand command, CancellationToken ct) => Task.FromResult<MessageResponse?>(null);
}

public sealed class ButtonHandler(Probe probe) : IBlockActionHandler
{
    public const string ActionId = "press";

    public Task Handle(BlockAction action, BlockActionsPayload payload, CancellationToken ct)
    {
        probe.Record("button", action, payload);
        return Task.CompletedTask;
    }
}

public sealed class FormSubmission(Probe probe) : IViewSubmissionHandler
{
    public const string CallbackId = "form";

    public Task<ViewSubmissionResponse?> Handle(ViewSubmissionPayload payload, CancellationToken ct)
    {
        probe.Record("submit", payload);
        var value = payload.View.State?.Values.GetValueOrDefault("title")?.GetValueOrDefault("title_input")?.Value;
        return Task.FromResult(string.IsNullOrEmpty(value)
            ? ViewSubmissionResponse.WithErrors(new Dictionary<string, string> { ["title"] = "A title is required" })
            : null);
    }
}

public sealed class FormClosed(Probe probe) : IViewClosedHandler
{
    public Task Handle(ViewClosedPayload payload, CancellationToken ct)
    {
        probe.Record("closed", payload);
        return Task.CompletedTask;
    }
}

public sealed class AddToSomething(Probe probe) : IMessageShortcutHandler
{
    public const string CallbackId = "add_message";

    public Task Handle(MessageShortcutPayload payload, CancellationToken ct)
    {
        probe.Record("message-shortcut", payload);
        return Task.CompletedTask;
    }
}

public sealed class StartSomething(Probe probe) : IGlobalShortcutHandler
{
    public const string CallbackId = "start";

    public Task Handle(GlobalShortcutPayload payload, CancellationToken ct)
    {
        probe.Record("global-shortcut", payload);
        return Task.CompletedTask;
    }
}

/// <summary>Records message texts in the order it handled them, yielding in between so that concurrent
/// handling would show up as reordering.</summary>
public sealed class OrderRecorder(Probe probe) : IEventHandler<MessageEvent>
{
    public async Task Handle(MessageEvent slackEvent, EventContext context, CancellationToken ct)
    {
        if (slackEvent.Text == "hold") await probe.Gate.Task.WaitAsync(ct);
        await Task.Delay(Random.Shared.Next(0, 2), ct);
        probe.Record("order:" + slackEvent.Channel, slackEvent.Text!);
    }
}

/// <summary>Answers a submission with the next step of the modal, and replies to a command with blocks.</summary>
public sealed class NextStepSubmission : IViewSubmissionHandler
{
    public const string CallbackId = "step1";

    public Task<ViewSubmissionResponse?> Handle(ViewSubmissionPayload payload, CancellationToken ct) =>
        Task.FromResult<ViewSubmissionResponse?>(ViewSubmissionResponse.Update(
            new Bot.Slack.Blocks.ModalView("Step 2") { CallbackId = "step2", Blocks = [Bot.Slack.Blocks.Block.Section("*Almost* done")] }));
}

public sealed class BlocksCommand : ISlashCommandHandler
{
    public const string Command = "/blocks";

    public Task<MessageResponse?> Handle(SlashCommand command, CancellationToken ct) =>
        Task.FromResult<MessageResponse?>(MessageResponse.InChannel("fallback",
            [Bot.Slack.Blocks.Block.Header("Title"), Bot.Slack.Blocks.Block.Section("body")]));
}
