using System.Globalization;
using Bot.Access;
using Bot.Database;
using Bot.Slack.Blocks;
using Bot.Slack.Handlers;
using Bot.Slack.Interactivity;

namespace Bot.Documents;

/// <summary>The modal for one section: its current text (the human edit, else the captured items as lines) in as many
/// 3,000-character boxes as it needs; the submission saves it as a hand edit (who and when), which replaces the
/// captured items in the document and is never overwritten by a later capture.</summary>
public sealed class EditSectionModal(DocumentBuilder documents, SectionEditStore edits, AccessPolicy access, Db db) : IViewSubmissionHandler
{
    public const string CallbackId = "postmortem_edit_section";
    private const string BoxAction = "text";
    private const string FirstBox = "text_0";
    /// <summary>Boxes per modal: Slack's 100 blocks, less the few that explain.</summary>
    public const int MaxBoxes = 90;
    /// <summary>A last box this full gets an empty one after it, so there is room to write more.</summary>
    private const int RoomToGrow = 2000;

    /// <summary>The modal for <paramref name="key"/> of incident <paramref name="incidentId"/>; null when the incident is gone.</summary>
    public async Task<ModalView?> For(long incidentId, string key, CancellationToken ct)
    {
        var doc = await documents.Build(incidentId, null, ct);
        if (doc is null) return null;
        var section = doc.Section(key);
        return Build(doc, key, SectionText.Current(section), Stamp(section), warning: null);
    }

    /// <param name="baseStamp">The version the text started from (<see cref="Stamp"/>): a submission finding another
    /// version saved since asks before replacing it.</param>
    public static ModalView Build(PostmortemDocument doc, string key, string text, long baseStamp, string? warning)
    {
        var section = doc.Section(key);
        var pieces = SectionText.Split(text).ToList();
        var tailFrom = 0;
        if (pieces.Count > MaxBoxes)
        {
            tailFrom = pieces.Take(MaxBoxes).Sum(p => p.Text.Length + p.Joiner.Length);
            pieces = pieces.Take(MaxBoxes).ToList();
        }
        else if (pieces[^1].Text.Length > RoomToGrow && pieces.Count < MaxBoxes)
            pieces.Add(new SectionText.Piece("", "\n"));

        var blocks = new List<Block>
        {
            Block.Section($"*{Mrkdwn.Escape(SectionKeys.Title(key))}* · incident #{doc.Number} {Mrkdwn.Escape(doc.Title)}"),
            Block.Context(section?.Edit is { } e && key != SectionKeys.Summary
                ? $"Last edited by {Mrkdwn.Escape(e.EditedBy)} {Mrkdwn.Date(e.EditedAt)}. Saving replaces that text."
                : "Pre-filled from what was captured. Once saved, your text replaces the captured items in the document; reactions added later won't overwrite it."),
        };
        if (warning is not null) blocks.Add(Block.Section($":warning: {warning}"));
        for (var i = 0; i < pieces.Count; i++)
        {
            var label = pieces.Count == 1 ? "Text" : $"Text, part {i + 1} of {pieces.Count}";
            blocks.Add(Block.Input($"text_{i}", label, new PlainTextInputElement
            {
                ActionId = BoxAction, Multiline = true, MaxLength = SlackLimits.PlainTextInputMaxLength,
                InitialValue = pieces[i].Text.Length == 0 ? null : pieces[i].Text,
            }, optional: true, hint: i == 0 && pieces.Count > 1 ? "Slack's boxes hold 3,000 characters each; the parts are joined in order when you save." : null));
        }
        if (tailFrom > 0)
            blocks.Add(Block.Context(FormattableString.Invariant($"This section is {text.Length:N0} characters; the boxes above hold the first {tailFrom:N0}. ") +
                "The rest is not shown here and is kept, unchanged, after your text when you save."));

        return new ModalView("Edit post-mortem")
        {
            CallbackId = CallbackId,
            PrivateMetadata = Metadata.Format(doc.IncidentId, key, baseStamp, SectionText.EncodeJoiners(pieces.Select(p => p.Joiner)), tailFrom),
            Submit = "Save",
            Close = "Cancel",
            Blocks = blocks,
        };
    }

    /// <summary>Identifies the version of a section a modal started from: the edit's time, 0 while only captured.</summary>
    public static long Stamp(DocumentSection? section) => section?.Edit?.EditedAt.ToUnixTimeMilliseconds() ?? 0;

    public async Task<ViewSubmissionResponse?> Handle(ViewSubmissionPayload payload, CancellationToken ct)
    {
        var user = payload.User?.Id;
        if (user is null || Metadata.Parse(payload.View.PrivateMetadata) is not { } m || !SectionKeys.Editable.Contains(m.Key))
            return Error("Slack did not say who you are or which section this is; close this and run `/postmortem edit` again.");
        // The point person's (or an admin's), at the moment of saving: the modal may have been open a long time.
        if (await access.PlainRefusal(m.IncidentId, user, Acts.Edit, ct) is { } refusal) return Error(refusal);
        var doc = await documents.Build(m.IncidentId, null, ct);
        if (doc is null) return Error("This incident no longer exists.");

        var section = doc.Section(m.Key);
        var current = SectionText.Current(section);
        var joiners = SectionText.DecodeJoiners(m.Joiners);
        var boxes = joiners.Select((j, i) => (Value(payload, $"text_{i}"), j)).ToList();
        if (m.TailFrom > 0 && m.TailFrom <= current.Length) boxes.Add((current[m.TailFrom..], ""));
        var text = SectionText.Join(boxes).TrimEnd();

        if (string.IsNullOrWhiteSpace(text))
            return Error("A section can't be saved empty: write \u201cNone\u201d if there is nothing to say, or Cancel to keep it as it is.");
        if (text == current.TrimEnd()) return NothingChanged(doc, m.Key, section?.Edit is null);
        if (Stamp(section) != m.BaseStamp && section?.Edit is { } other)
            return ViewSubmissionResponse.Update(Build(doc, m.Key, text, Stamp(section),
                $"{Mrkdwn.Escape(other.EditedBy)} saved this section {Mrkdwn.Date(other.EditedAt)}, while you were editing. " +
                "Your text is below: Save again to replace theirs, or Cancel to keep theirs."));

        var saved = await db.InTransaction(async (conn, jobs) =>
        {
            var id = await edits.Save(conn, m.IncidentId, m.Key, text, user, ct);
            if (id is { } editId) jobs.Enqueue<EditNoteJob>(j => j.Run(editId, CancellationToken.None));
            return id is not null;
        }, ct);
        return saved ? ViewSubmissionResponse.Clear() : NothingChanged(doc, m.Key, capturedOnly: false);
    }

    /// <summary>Submitted twice, or saved unchanged: nothing is recorded, and the modal says so.</summary>
    private static ViewSubmissionResponse NothingChanged(PostmortemDocument doc, string key, bool capturedOnly) =>
        ViewSubmissionResponse.Update(new ModalView("Nothing changed")
        {
            Close = "Close",
            Blocks =
            [
                Block.Section($"*{Mrkdwn.Escape(SectionKeys.Title(key))}* of incident #{doc.Number} already says exactly this, so nothing was saved." +
                    (capturedOnly ? " It still follows what is captured for it." : "")),
            ],
        });

    private static ViewSubmissionResponse Error(string message) =>
        ViewSubmissionResponse.WithErrors(new Dictionary<string, string> { [FirstBox] = message });

    private static string? Value(ViewSubmissionPayload payload, string block) =>
        payload.View.State?.Values.GetValueOrDefault(block)?.GetValueOrDefault(BoxAction)?.Value;

    /// <summary>private_metadata: "incidentId|key|baseStamp|joiners|tailFrom".</summary>
    private sealed record Metadata(long IncidentId, string Key, long BaseStamp, string Joiners, int TailFrom)
    {
        public static string Format(long incidentId, string key, long baseStamp, string joiners, int tailFrom) =>
            string.Join('|', incidentId.ToString(CultureInfo.InvariantCulture), key, baseStamp.ToString(CultureInfo.InvariantCulture), joiners,
                tailFrom.ToString(CultureInfo.InvariantCulture));

        public static Metadata? Parse(string? text)
        {
            var parts = (text ?? "").Split('|');
            return parts.Length == 5
                && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var id)
                && long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var stamp)
                && int.TryParse(parts[4], NumberStyles.None, CultureInfo.InvariantCulture, out var tail)
                && parts[3].Length is > 0 and <= MaxBoxes && parts[3].All(c => c is 'n' or 'c')
                    ? new Metadata(id, parts[1], stamp, parts[3], tail)
                    : null;
        }
    }
}
