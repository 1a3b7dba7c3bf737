using Bot.Database;
using Bot.Documents;
using Dapper;
using Npgsql;

namespace Bot.Publishing;

public sealed class PublicationRow
{
    public long IncidentId { get; set; }
    public DateTime PublishedAt { get; set; }
    public string PublishedBy { get; set; } = "";
    public bool Forced { get; set; }
    public string[] ProblemsOverridden { get; set; } = [];
    public string? AnnounceChannel { get; set; }
    public string? MailingList { get; set; }

    public DateTimeOffset At => new(DateTime.SpecifyKind(PublishedAt, DateTimeKind.Utc));
}

/// <summary>postmortem_publications: the one publication of a post-mortem, and the "published" timeline entry.</summary>
public sealed class PublicationStore(Db db)
{
    public const string EntryKind = Bot.Timeline.EntryKinds.Published;

    /// <summary>The postmortem_sends version of every publish step: a post-mortem is published once.</summary>
    public const int SendVersion = 1;

    public async Task<PublicationRow?> Get(long incidentId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await Get(conn, incidentId, ct);
    }

    /// <summary>The document's view of the publication (who by name), for <see cref="DocumentBuilder"/>.</summary>
    public static async Task<DocumentPublication?> ForDocument(Db db, long incidentId, Func<string?, string> name, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var row = await Get(conn, incidentId, ct);
        return row is null ? null : new DocumentPublication(row.At, name(row.PublishedBy), row.Forced, row.ProblemsOverridden);
    }

    /// <summary>Records the publication and its timeline entry in the caller's transaction; null when it was published
    /// already (the first one wins, so two racing commands publish once).</summary>
    public static async Task<PublicationRow?> Insert(NpgsqlConnection conn, PublicationRow row, CancellationToken ct)
    {
        var inserted = await conn.QuerySingleOrDefaultAsync<PublicationRow>(new CommandDefinition("""
            insert into postmortem_publications (incident_id, published_at, published_by, forced, problems_overridden, announce_channel, mailing_list)
            values (@IncidentId, @At, @PublishedBy, @Forced, @ProblemsOverridden, @AnnounceChannel, @MailingList)
            on conflict (incident_id) do nothing
            returning *
            """, new { row.IncidentId, row.At, row.PublishedBy, row.Forced, row.ProblemsOverridden, row.AnnounceChannel, row.MailingList },
            cancellationToken: ct));
        if (inserted is null) return null;
        var text = row.Forced
            ? $"Post-mortem published, with {row.ProblemsOverridden.Length} readiness problem{(row.ProblemsOverridden.Length == 1 ? "" : "s")} overridden"
            : "Post-mortem published";
        await Bot.Incidents.IncidentStore.AddEntry(conn, row.IncidentId, EntryKind, row.PublishedBy, text, row.At,
            new { forced = row.Forced, overridden = row.ProblemsOverridden }, ct);
        return inserted;
    }

    private static Task<PublicationRow?> Get(NpgsqlConnection conn, long incidentId, CancellationToken ct) =>
        conn.QuerySingleOrDefaultAsync<PublicationRow>(new CommandDefinition(
            "select * from postmortem_publications where incident_id = @incidentId", new { incidentId }, cancellationToken: ct));
}
