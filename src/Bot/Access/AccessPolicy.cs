using Bot.Database;
using Bot.Incidents;
using Bot.People;
using Dapper;
using Microsoft.Extensions.Options;

namespace Bot.Access;

/// <summary>What a handler asks before it changes anything: may this user do this to this incident? Allowed, or a
/// refusal naming who can, for the handler to show only to the asker (ephemeral, a modal's field error). Decided from
/// the incident as it is when the request arrives, so a modal opened before a handover is checked again on submit.</summary>
public sealed class AccessPolicy(Db db, UserDirectory people, IOptions<AccessOptions> options)
{
    public IReadOnlyList<string> Admins => options.Value.Admins;

    public bool IsAdmin(string user) => options.Value.Admins.Contains(user, StringComparer.Ordinal);

    /// <summary>Null when allowed, else the refusal to show (also when the incident does not exist).</summary>
    public async Task<string?> Refusal(long incidentId, string user, Act act, CancellationToken ct)
    {
        if (IsAdmin(user)) return null;
        var holders = await Holders(incidentId, ct);
        if (holders is null) return "That incident no longer exists.";
        return holders.May(user, act.Who) ? null : holders.Refusal(act, Admins);
    }

    /// <summary>As <see cref="Refusal"/>, in plain text with names for a modal's field error (Slack shows those
    /// unformatted, so a mention would read as its id).</summary>
    public async Task<string?> PlainRefusal(long incidentId, string user, Act act, CancellationToken ct) =>
        await Refusal(incidentId, user, act, ct) is { } refusal ? Short(await Plain(refusal, ct)) : null;

    // A field error is a short paragraph under the box.
    private static string Short(string text) => text.Length <= MaxFieldError ? text : text[..(MaxFieldError - 1)] + "…";
    private const int MaxFieldError = 300;

    /// <summary>Mentions as "@name" (the id when Slack does not know the person).</summary>
    public async Task<string> Plain(string text, CancellationToken ct)
    {
        var names = await people.People(Mentions.UserIds(text), ct);
        return Mentions.ToNames(text, id => names.GetValueOrDefault(id)?.Name, _ => null);
    }

    /// <summary>The commander, the reporter, the point person (the commander until a post-mortem names one) and the
    /// role holders, in one round trip.</summary>
    public async Task<IncidentHolders?> Holders(long incidentId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        using var read = await conn.QueryMultipleAsync(new CommandDefinition("""
            select i.commander_id, i.reporter_id, coalesce(p.point_person_id, i.commander_id) as point_person_id
            from incidents i left join postmortems p on p.incident_id = i.id where i.id = @incidentId;
            select role, user_id from incident_roles where incident_id = @incidentId order by role;
            """, new { incidentId }, cancellationToken: ct));
        var row = await read.ReadSingleOrDefaultAsync<(string CommanderId, string ReporterId, string PointPersonId)?>();
        var roles = (await read.ReadAsync<(string, string)>()).AsList();
        return row is { } r ? new IncidentHolders(r.CommanderId, r.ReporterId, r.PointPersonId, roles) : null;
    }
}
