using Bot.Database;
using Dapper;
using Npgsql;

namespace Bot.Documents;

public sealed class StoredQuestion
{
    public int Number { get; set; }
    public string Text { get; set; } = "";
    public string? AskedBy { get; set; }
    public DateTime AskedAt { get; set; }
    public string? SlackTs { get; set; }
    public string? Answer { get; set; }
    public string? AnsweredBy { get; set; }
    public DateTime? AnsweredAt { get; set; }
}

public enum AnswerOutcome { Answered, Unchanged, NotFound }

/// <summary>The post-mortem's numbered questions (postmortem_questions).</summary>
public sealed class QuestionStore(Db db, TimeProvider time)
{
    /// <summary>Adds a question and returns its number (the next one of the incident).</summary>
    public async Task<int> Add(long incidentId, string text, string? askedBy, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await Insert(conn, incidentId, text, askedBy, time.GetUtcNow(), slackTs: null, ct) ?? 0;
    }

    /// <summary>Copies the messages marked :question: in the capture that are not in the list yet (once per message),
    /// numbered in the order they were posted: one statement, so commands can run it while Slack waits.</summary>
    public async Task SyncMarked(long incidentId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await conn.ExecuteAsync(new CommandDefinition("""
                    insert into postmortem_questions (incident_id, number, text, asked_by, asked_at, slack_ts)
                    select @incidentId,
                           (select coalesce(max(q.number), 0) from postmortem_questions q where q.incident_id = @incidentId)
                               + row_number() over (order by e.occurred_at, e.id),
                           coalesce(e.text, ''), e.user_id, e.occurred_at, e.slack_ts
                    from timeline_entries e
                    where e.incident_id = @incidentId and e.kind = 'message' and e.deleted_at is null and e.slack_ts is not null
                      and exists (select 1 from timeline_reactions r
                                  where r.incident_id = e.incident_id and r.slack_ts = e.slack_ts and r.section = @section)
                      and not exists (select 1 from postmortem_questions q where q.incident_id = e.incident_id and q.slack_ts = e.slack_ts)
                    on conflict (incident_id, slack_ts) where slack_ts is not null do nothing
                    """, new { incidentId, section = Bot.Timeline.Sections.Questions }, cancellationToken: ct));
                return;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation && attempt < 5)
            {
                // Another writer took the same numbers first: count again.
            }
        }
    }

    public async Task<IReadOnlyList<StoredQuestion>> List(long incidentId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<StoredQuestion>(new CommandDefinition("""
            select number, text, asked_by, asked_at, slack_ts, answer, answered_by, answered_at
            from postmortem_questions where incident_id = @incidentId order by number
            """, new { incidentId }, cancellationToken: ct));
        return rows.AsList();
    }

    public async Task<StoredQuestion?> Get(long incidentId, int number, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<StoredQuestion>(new CommandDefinition("""
            select number, text, asked_by, asked_at, slack_ts, answer, answered_by, answered_at
            from postmortem_questions where incident_id = @incidentId and number = @number
            """, new { incidentId, number }, cancellationToken: ct));
    }

    /// <summary>Sets (or replaces) the answer of question <paramref name="number"/>; the same answer twice is Unchanged.</summary>
    public async Task<AnswerOutcome> Answer(long incidentId, int number, string answer, string answeredBy, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return (await Answer(conn, incidentId, number, answer, answeredBy, ct)).Outcome;
    }

    /// <summary>The same inside the caller's transaction. Each change is also kept in postmortem_question_answers
    /// (who and when); AnswerId is that row, null unless Answered.</summary>
    public async Task<(AnswerOutcome Outcome, long? AnswerId)> Answer(NpgsqlConnection conn, long incidentId, int number, string answer,
        string answeredBy, CancellationToken ct)
    {
        // One statement: the row lock of the update makes a concurrent identical answer see the new value and change nothing.
        var row = await conn.QuerySingleAsync<(bool Found, long? AnswerId)>(new CommandDefinition("""
            with q as (select 1 from postmortem_questions where incident_id = @incidentId and number = @number),
            u as (
                update postmortem_questions set answer = @answer, answered_by = @answeredBy, answered_at = @now
                where incident_id = @incidentId and number = @number and answer is distinct from @answer
                returning incident_id, number),
            h as (
                insert into postmortem_question_answers (incident_id, number, answer, answered_by, answered_at)
                select incident_id, number, @answer, @answeredBy, @now from u
                returning id)
            select exists (select 1 from q) as found, (select id from h) as answer_id
            """, new { incidentId, number, answer, answeredBy, now = time.GetUtcNow() }, cancellationToken: ct));
        return (row.Found, row.AnswerId) switch
        {
            (false, _) => (AnswerOutcome.NotFound, null),
            (true, null) => (AnswerOutcome.Unchanged, null),
            _ => (AnswerOutcome.Answered, row.AnswerId),
        };
    }

    /// <summary>Numbers are max + 1; two writers racing for the same number retry (the primary key decides).</summary>
    private static async Task<int?> Insert(NpgsqlConnection conn, long incidentId, string text, string? askedBy, DateTimeOffset at,
        string? slackTs, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await conn.ExecuteScalarAsync<int?>(new CommandDefinition("""
                    insert into postmortem_questions (incident_id, number, text, asked_by, asked_at, slack_ts)
                    select @incidentId, coalesce(max(number), 0) + 1, @text, @askedBy, @at, @slackTs
                    from postmortem_questions where incident_id = @incidentId
                    on conflict (incident_id, slack_ts) where slack_ts is not null do nothing
                    returning number
                    """, new { incidentId, text, askedBy, at, slackTs }, cancellationToken: ct));
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation && attempt < 5)
            {
            }
        }
    }
}
