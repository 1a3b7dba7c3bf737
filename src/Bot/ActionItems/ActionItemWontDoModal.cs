using Bot.Slack.Blocks;
using Bot.Slack.Handlers;
using Bot.Slack.Interactivity;
using Bot.Slack.WebApi;

namespace Bot.ActionItems;

/// <summary>Won't do: a modal asks why; the item is dropped with that reason (chasing stops, the document shows it).</summary>
public sealed class ActionItemWontDoModal(ItemReplies replies, ISlackApi slack) : IBlockActionHandler, IViewSubmissionHandler
{
    public const string CallbackId = "action_item_wont_do";
    private const string ReasonBlock = "reason";
    private const string Action = "drop";

    public async Task Handle(BlockAction action, BlockActionsPayload payload, CancellationToken ct)
    {
        if (payload.User?.Id is not { } user || payload.TriggerId is null || ActionItemBlocks.ParseRef(action.Value) is not { } reference) return;
        if (await ItemModalGuard.Check(replies, payload, user, reference, Action, ct) is not { } item) return;
        await slack.Views.Open(payload.TriggerId, new ModalView("Won't do")
        {
            CallbackId = CallbackId,
            PrivateMetadata = ActionItemBlocks.Ref(item),
            Submit = "Drop it",
            Close = "Cancel",
            Blocks =
            [
                Block.Section($"*{ActionItemBlocks.Text(item)}*\n_incident #{item.IncidentNumber} {Mrkdwn.Escape(item.IncidentTitle)}_"),
                Block.Input(ReasonBlock, "Why won't it be done?", new PlainTextInputElement { ActionId = ReasonBlock, Multiline = true, MaxLength = 500 },
                    hint: "The reason goes into the post-mortem, so the next reader knows it was a decision."),
            ],
        }, ct);
    }

    public async Task<ViewSubmissionResponse?> Handle(ViewSubmissionPayload payload, CancellationToken ct)
    {
        var reason = ItemModalGuard.Value(payload, ReasonBlock)?.Value?.Trim();
        if (payload.User?.Id is not { } user || ActionItemBlocks.ParseRef(payload.View.PrivateMetadata) is not { } reference)
            return Error("Slack did not say who you are or which item this is; try again.");
        if (string.IsNullOrEmpty(reason)) return Error("Say why, in a few words.");
        var outcome = await replies.Store.Change(reference.Id, reference.Version, Action, user, i =>
        {
            if (!i.IsOpen) return null;
            i.Status = ItemStatus.Dropped;
            i.DropReason = reason;
            i.SnoozedUntil = null;
            return i;
        }, ct);
        if (outcome is ChangeOutcome.Changed or ChangeOutcome.Repeated) return null;
        return Error(await replies.Plain(replies.Describe(outcome, _ => "", await replies.ZoneOf(user, ct)), ct));
    }

    private static ViewSubmissionResponse Error(string message) =>
        ViewSubmissionResponse.WithErrors(new Dictionary<string, string> { [ReasonBlock] = SlackText(message) });

    // Field errors are plain text, at most a short paragraph.
    private static string SlackText(string message) => message.Length <= 300 ? message : message[..299] + "…";
}
