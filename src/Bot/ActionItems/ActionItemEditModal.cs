using System.Globalization;
using Bot.Incidents;
using Bot.Postmortems.Scheduling;
using Bot.Slack.Blocks;
using Bot.Slack.Handlers;
using Bot.Slack.Interactivity;
using Bot.Slack.WebApi;

namespace Bot.ActionItems;

/// <summary>Edit: text, owner, due day and link in one modal. The due day is picked in the editor's zone.</summary>
public sealed class ActionItemEditModal(ItemReplies replies, ISlackApi slack) : IBlockActionHandler, IViewSubmissionHandler
{
    public const string CallbackId = "action_item_edit";
    private const string TextBlock = "text";
    private const string OwnerBlock = "owner";
    private const string DueBlock = "due";
    private const string LinkBlock = "link";
    private const string Action = "edit";

    public async Task Handle(BlockAction action, BlockActionsPayload payload, CancellationToken ct)
    {
        if (payload.User?.Id is not { } user || payload.TriggerId is null || ActionItemBlocks.ParseRef(action.Value) is not { } reference) return;
        if (await ItemModalGuard.Check(replies, payload, user, reference, Action, ct) is not { } item) return;
        await slack.Views.Open(payload.TriggerId, Build(item), ct);
    }

    public static ModalView Build(ActionItem item) => new("Action item")
    {
        CallbackId = CallbackId,
        PrivateMetadata = ActionItemBlocks.Ref(item),
        Submit = "Save",
        Close = "Cancel",
        Blocks =
        [
            Block.Input(TextBlock, "What needs doing", new PlainTextInputElement
            {
                ActionId = TextBlock, Multiline = true, MaxLength = ActionCommandParser.MaxText, InitialValue = CommandText.ToPlain(item.Text),
            }),
            Block.Input(OwnerBlock, "Owner", new UsersSelectElement { ActionId = OwnerBlock, InitialUser = item.OwnerId }, optional: true),
            Block.Input(DueBlock, "Due", new DatePickerElement { ActionId = DueBlock, InitialDate = item.DueOn }, optional: true),
            Block.Input(LinkBlock, "Link (ticket, doc)", new PlainTextInputElement { ActionId = LinkBlock, InitialValue = item.Link, MaxLength = 1000 },
                optional: true),
        ],
    };

    public async Task<ViewSubmissionResponse?> Handle(ViewSubmissionPayload payload, CancellationToken ct)
    {
        if (payload.User?.Id is not { } user || ActionItemBlocks.ParseRef(payload.View.PrivateMetadata) is not { } reference)
            return Error(TextBlock, "Slack did not say who you are or which item this is; try again.");
        var text = ItemModalGuard.Value(payload, TextBlock)?.Value?.Trim();
        var owner = ItemModalGuard.Value(payload, OwnerBlock)?.SelectedUser;
        var dueText = ItemModalGuard.Value(payload, DueBlock)?.SelectedDate;
        var linkText = ItemModalGuard.Value(payload, LinkBlock)?.Value?.Trim();
        if (string.IsNullOrEmpty(text)) return Error(TextBlock, "Say what needs doing.");
        string? link = null;
        if (!string.IsNullOrEmpty(linkText) && (link = ActionCommandParser.Url(linkText)) is null)
            return Error(LinkBlock, "A link is an http(s) URL.");
        var zone = await replies.ZoneOf(user, ct);
        DueDate? due = null;
        if (!string.IsNullOrEmpty(dueText))
        {
            if (!DateOnly.TryParseExact(dueText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
                return Error(DueBlock, "Pick a day.");
            due = DueDates.FromDay(day, zone);
            var today = DateOnly.FromDateTime(TimeZones.ToLocal(replies.Now, zone));
            if (day < today && (await replies.Store.Get(reference.Id, ct))?.DueOn != due.DayText)
                return Error(DueBlock, "That day is in the past.");
        }

        // The action names what was submitted: the same form twice is a repeat, a different one from an old version is stale.
        var action = $"{Action}:{Fingerprint(text, owner, dueText, link)}";
        var outcome = await replies.Store.Change(reference.Id, reference.Version, action, user, i =>
        {
            var changed = false;
            // Unchanged text keeps Slack's own form (mentions stay mentions); typed text is escaped for Slack.
            if (text != CommandText.ToPlain(i.Text)) { i.Text = Mrkdwn.Escape(text); changed = true; }
            if (owner != i.OwnerId) { i.OwnerId = owner; changed = true; }
            if (due?.DayText != i.DueOn)
            {
                i.DueOn = due?.DayText;
                i.DueAt = due?.EndsAt.UtcDateTime;
                changed = true;
            }
            if (link != i.Link) { i.Link = link; changed = true; }
            return changed ? i : null;
        }, ct);
        return outcome is ChangeOutcome.Changed or ChangeOutcome.Unchanged or ChangeOutcome.Repeated
            ? null
            : Error(TextBlock, await replies.Plain(replies.Describe(outcome, _ => "", zone), ct));
    }

    private static string Fingerprint(params string?[] parts) =>
        Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(string.Join("\u0001", parts))))[..16];

    private static ViewSubmissionResponse Error(string block, string message) =>
        ViewSubmissionResponse.WithErrors(new Dictionary<string, string> { [block] = Short(message) });

    private static string Short(string message) => message.Length <= 300 ? message : message[..299] + "…";
}
