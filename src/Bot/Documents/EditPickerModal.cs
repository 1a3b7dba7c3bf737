using System.Globalization;
using Bot.Access;
using Bot.Slack.Blocks;
using Bot.Slack.Handlers;
using Bot.Slack.Interactivity;
using Bot.Slack.WebApi;

namespace Bot.Documents;

/// <summary>"Which section?": a select of the editable sections, each saying whether it is empty, captured or
/// edited. Choosing one (the select dispatches a block action) or submitting replaces this modal with the
/// section's (<see cref="EditSectionModal"/>).</summary>
public sealed class EditPickerModal(EditSectionModal sections, AccessPolicy access, ISlackApi slack, ILogger<EditPickerModal> logger)
    : IBlockActionHandler, IViewSubmissionHandler
{
    public const string CallbackId = "postmortem_edit_pick";
    public const string SelectAction = "postmortem_edit_section";
    private const string SectionBlock = "section";

    public static ModalView Build(PostmortemDocument doc) => new("Edit post-mortem")
    {
        CallbackId = CallbackId,
        PrivateMetadata = doc.IncidentId.ToString(CultureInfo.InvariantCulture),
        Submit = "Next",
        Close = "Cancel",
        Blocks =
        [
            Block.Section($"Which section of the post-mortem of incident #{doc.Number} ({Mrkdwn.Escape(doc.Title)}) do you want to write?"),
            new InputBlock("Section", new StaticSelectElement(SelectAction, SectionKeys.Editable.Select(k =>
                new SelectOption(SectionKeys.Title(k), k) { Description = State(doc, k) }).ToList())
            {
                Placeholder = "Pick a section",
            }) { BlockId = SectionBlock, DispatchAction = true },
        ],
    };

    /// <summary>"edited by Jane Doe", "3 captured", "empty".</summary>
    private static string State(PostmortemDocument doc, string key)
    {
        if (doc.Edits.LastOrDefault(e => e.Section == key) is { } edit) return $"edited by {edit.By}";
        var section = doc.Section(key);
        if (section is null || section.IsEmpty) return "empty";
        return section.Items.Count > 0 ? $"{section.Items.Count} captured" : "from the resolve summary";
    }

    /// <summary>The select changed: this modal becomes the section's (the hash keeps a stale update from winning).</summary>
    public async Task Handle(BlockAction action, BlockActionsPayload payload, CancellationToken ct)
    {
        var key = action.SelectedOption?.Value;
        if (payload.View?.Id is not { } viewId || key is null || !SectionKeys.Editable.Contains(key)
            || !long.TryParse(payload.View.PrivateMetadata, NumberStyles.None, CultureInfo.InvariantCulture, out var incidentId))
            return;
        // The picker was opened by the point person; checked again, as the choice comes later (and can be forged).
        var view = await access.Refusal(incidentId, payload.User?.Id ?? "", Acts.Edit, ct) is { } refusal
            ? Refused(refusal)
            : await sections.For(incidentId, key, ct);
        if (view is null) return;
        try
        {
            await slack.Views.Update(viewId, view, payload.View.Hash, ct);
        }
        catch (SlackApiException e)
        {
            // hash_conflict: the modal moved on (submitted, or another choice arrived first); that one stands.
            logger.LogInformation("views.update for the section picker failed: {Error}", e.Error);
        }
    }

    public async Task<ViewSubmissionResponse?> Handle(ViewSubmissionPayload payload, CancellationToken ct)
    {
        var key = payload.View.State?.Values.GetValueOrDefault(SectionBlock)?.GetValueOrDefault(SelectAction)?.SelectedOption?.Value;
        if (key is null || !SectionKeys.Editable.Contains(key)) return Error("Pick a section.");
        if (!long.TryParse(payload.View.PrivateMetadata, NumberStyles.None, CultureInfo.InvariantCulture, out var incidentId))
            return Error("This incident no longer exists.");
        if (await access.PlainRefusal(incidentId, payload.User?.Id ?? "", Acts.Edit, ct) is { } refusal) return Error(refusal);
        if (await sections.For(incidentId, key, ct) is not { } view) return Error("This incident no longer exists.");
        return ViewSubmissionResponse.Update(view);
    }

    /// <summary>What the modal becomes for someone who may not edit: the refusal, and nothing to submit.</summary>
    public static ModalView Refused(string refusal) => new("Edit post-mortem")
    {
        Close = "Close",
        Blocks = [Block.Section(refusal)],
    };

    private static ViewSubmissionResponse Error(string message) =>
        ViewSubmissionResponse.WithErrors(new Dictionary<string, string> { [SectionBlock] = message });
}
