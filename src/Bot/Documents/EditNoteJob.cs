using Bot.Database;
using Bot.Slack.Blocks;
using Bot.Slack.WebApi;
using Dapper;
using Hangfire;

namespace Bot.Documents;

/// <summary>Tells the incident channel that a section was edited by hand: everyone working on the post-mortem sees
/// who changed what, and that the captured items of that section no longer show. Once per edit (noted_at).</summary>
[AutomaticRetry(Attempts = 3, DelaysInSeconds = [5, 30, 120])]
public sealed class EditNoteJob(Db db, ISlackApi slack, TimeProvider time, ILogger<EditNoteJob> logger)
{
    public async Task Run(long editId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        // Claimed before posting: a crash between the two loses this courtesy note rather than posting it twice.
        var edit = await conn.QuerySingleOrDefaultAsync<(string Section, string EditedBy, int Number, string? ChannelId)?>(new CommandDefinition("""
            update postmortem_section_edits e set noted_at = @now
            from incidents i
            where e.id = @editId and e.noted_at is null and i.id = e.incident_id
            returning e.section, e.edited_by, i.number, i.channel_id
            """, new { editId, now = time.GetUtcNow() }, cancellationToken: ct));
        if (edit is not { ChannelId: { } channel } e) return;
        var text = $":memo: {Mrkdwn.User(e.EditedBy)} edited *{Mrkdwn.Escape(SectionKeys.Title(e.Section))}* in the post-mortem of incident #{e.Number} " +
                   "(`/postmortem edit` to change it, `/postmortem preview` to read the document).";
        await ChannelNotes.Post(slack, channel, text, logger, ct, onFailure: () => conn.ExecuteAsync(
            "update postmortem_section_edits set noted_at = null where id = @editId", new { editId }));
    }
}
