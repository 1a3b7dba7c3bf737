using Bot.Database;
using Dapper;
using Npgsql;

namespace Bot.Documents;

public sealed record StoredEdit(string Section, string Text, string EditedBy, DateTimeOffset EditedAt);

/// <summary>Hand edits of the document's sections (postmortem_section_edits): each save is kept, the newest wins.</summary>
public sealed class SectionEditStore(Db db, TimeProvider time)
{
    /// <summary>Saves a new version of <paramref name="section"/>; false when the text equals the current one
    /// (a modal submitted twice records one change).</summary>
    public async Task<bool> Save(long incidentId, string section, string text, string editedBy, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var id = await Save(conn, incidentId, section, text, editedBy, ct);
        await tx.CommitAsync(ct);
        return id is not null;
    }

    /// <summary><see cref="Save(long,string,string,string,CancellationToken)"/> inside the caller's transaction
    /// (Db.InTransaction, so a job can be enqueued with it); the new version's id, or null when nothing changed.</summary>
    public async Task<long?> Save(NpgsqlConnection conn, long incidentId, string section, string text, string editedBy, CancellationToken ct)
    {
        if (!SectionKeys.Editable.Contains(section)) throw new ArgumentException($"Not an editable section: {section}", nameof(section));
        // Two submissions of the same text at the same moment would both see the old text and both insert:
        // one writer per incident at a time (held until the transaction ends).
        await conn.ExecuteAsync(new CommandDefinition("select pg_advisory_xact_lock(@LockClass, hashtext(@incidentId::text))",
            new { LockClass, incidentId }, cancellationToken: ct));
        return await conn.ExecuteScalarAsync<long?>(new CommandDefinition("""
            insert into postmortem_section_edits (incident_id, section, text, edited_by, edited_at)
            select @incidentId, @section, @text, @editedBy, @now
            where @text is distinct from (select e.text from postmortem_section_edits e
                                          where e.incident_id = @incidentId and e.section = @section order by e.id desc limit 1)
            returning id
            """, new { incidentId, section, text, editedBy, now = time.GetUtcNow() }, cancellationToken: ct));
    }

    // The first key of pg_advisory_xact_lock(int, int): this table's writers (the migration lock uses the one-key form).
    private const int LockClass = 20021;

    /// <summary>The current text of every edited section.</summary>
    public async Task<IReadOnlyDictionary<string, StoredEdit>> Latest(long incidentId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<Row>(new CommandDefinition("""
            select distinct on (section) section, text, edited_by, edited_at
            from postmortem_section_edits where incident_id = @incidentId
            order by section, id desc
            """, new { incidentId }, cancellationToken: ct));
        return rows.ToDictionary(r => r.Section, r => r.ToEdit());
    }

    /// <summary>Every change, oldest first.</summary>
    public async Task<IReadOnlyList<StoredEdit>> History(long incidentId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<Row>(new CommandDefinition("""
            select section, text, edited_by, edited_at from postmortem_section_edits
            where incident_id = @incidentId order by id
            """, new { incidentId }, cancellationToken: ct));
        return rows.Select(r => r.ToEdit()).ToList();
    }

    private sealed class Row
    {
        public string Section { get; set; } = "";
        public string Text { get; set; } = "";
        public string EditedBy { get; set; } = "";
        public DateTime EditedAt { get; set; }
        public StoredEdit ToEdit() => new(Section, Text, EditedBy, new DateTimeOffset(DateTime.SpecifyKind(EditedAt, DateTimeKind.Utc)));
    }
}
