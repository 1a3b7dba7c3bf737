using Bot.Database;
using Bot.Slack.Blocks;
using Bot.Slack.WebApi;
using Dapper;
using Hangfire;

namespace Bot.Documents;

/// <summary>Tells the incident channel that a question was answered from the Answer modal (the command answers in
/// its own reply). Once per change of the answer (postmortem_question_answers.noted_at).</summary>
[AutomaticRetry(Attempts = 3, DelaysInSeconds = [5, 30, 120])]
public sealed class AnswerNoteJob(Db db, ISlackApi slack, TimeProvider time, ILogger<AnswerNoteJob> logger)
{
    public async Task Run(long answerId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        // Claimed before posting: a crash between the two loses this courtesy note rather than posting it twice.
        var row = await conn.QuerySingleOrDefaultAsync<(int Number, string Answer, string AnsweredBy, string? ChannelId)?>(new CommandDefinition("""
            update postmortem_question_answers a set noted_at = @now
            from incidents i
            where a.id = @answerId and a.noted_at is null and i.id = a.incident_id
            returning a.number, a.answer, a.answered_by, i.channel_id
            """, new { answerId, now = time.GetUtcNow() }, cancellationToken: ct));
        if (row is not { ChannelId: { } channel } r) return;
        var text = QuestionBlocks.AnsweredText(r.Number, r.AnsweredBy, r.Answer);
        await ChannelNotes.Post(slack, channel, text, logger, ct, onFailure: () => conn.ExecuteAsync(
            "update postmortem_question_answers set noted_at = null where id = @answerId", new { answerId }));
    }
}
