using System.Globalization;
using Bot.Database;
using Bot.Incidents;
using Bot.People;
using Bot.Postmortems.Scheduling;
using Bot.Timeline;
using Dapper;

namespace Bot.Postmortems;

/// <summary>Fills the document's sections from what was captured (PRODUCT.md's table): marked messages per
/// section, status and role changes as key points, "Add to incident" details, links, screenshots, people,
/// and the whole timeline grouped by day in one stated time zone.</summary>
public sealed class DraftBuilder(Db db, TimelineReader timeline, UserDirectory people)
{
    /// <summary>Section keys in document order (the reaction sections plus the shortcut's details).</summary>
    public const string AdditionalDetails = "additional_details";

    private static readonly string[] Order =
    [
        Sections.Observations, Sections.Symptoms, Sections.Hypothesis, Sections.Remediation, Sections.Impact,
        Sections.KeyPoints, AdditionalDetails, Sections.ActionItems, Sections.Questions, Sections.WentWell, Sections.WentBadly,
    ];

    public async Task<PostmortemDraft> Build(Incident incident, string? summary, string timeZoneId, CancellationToken ct)
    {
        var zone = TimeZones.Find(timeZoneId);
        var rows = await timeline.Entries(incident.Id, includeDeleted: false, ct);
        var roles = await Roles(incident, ct);
        var ids = rows.Select(r => r.UserId).Concat(roles.Keys).OfType<string>().Distinct().ToList();
        var names = await people.People(ids, ct);
        string Name(string? id) => id is null ? "" : names.TryGetValue(id, out var p) ? p.Name : id;
        string At(DateTime utc) => TimeZones.ToLocal(new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)), zone)
            .ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        DraftItem Item(TimelineRow r, string? text = null) => new(At(r.OccurredAt), r.UserId, Name(r.UserId), text ?? r.Text ?? "", r.Permalink);

        var items = Order.ToDictionary(k => k, _ => new List<DraftItem>());
        foreach (var r in rows)
        {
            foreach (var s in r.Sections)
                if (items.TryGetValue(s, out var list)) list.Add(Item(r));
            if (r.Kind == EntryKinds.Detail) items[AdditionalDetails].Add(Item(r));
            if (r.Kind is EntryKinds.Status or EntryKinds.Commander or EntryKinds.Role or EntryKinds.Severity)
                items[Sections.KeyPoints].Add(Item(r, Change(r, Name)));
        }

        var resolvedAt = new DateTimeOffset(DateTime.SpecifyKind(incident.ResolvedAt ?? DateTime.UtcNow, DateTimeKind.Utc));
        var openedAt = new DateTimeOffset(DateTime.SpecifyKind(incident.CreatedAt, DateTimeKind.Utc));
        var links = await Links(incident.Id, ct);
        return new PostmortemDraft
        {
            IncidentId = incident.Id,
            Number = incident.Number,
            Title = incident.Title,
            Severity = incident.Severity,
            Summary = summary,
            ChannelId = incident.ChannelId,
            ChannelName = incident.DisplayChannelName,
            OpenedAt = openedAt,
            ResolvedAt = resolvedAt,
            Duration = Durations.Describe(resolvedAt - openedAt),
            TimeZone = zone.Id,
            Sections = Order.Select(k => new DraftSection(k, Title(k), items[k])).ToList(),
            People = ids.Where(id => rows.Any(r => r.UserId == id && r.Kind == EntryKinds.Message) || roles.ContainsKey(id))
                .Select(id => new DraftPerson(id, Name(id), names.TryGetValue(id, out var p) ? p.Title : null,
                    roles.TryGetValue(id, out var rs) ? string.Join(", ", rs) : "participant"))
                .ToList(),
            Links = links,
            Screenshots = rows.SelectMany(r => r.Images).Distinct().ToList(),
            Timeline = rows.Where(r => r.Kind != EntryKinds.Joined && r.Kind != EntryKinds.Left)
                .GroupBy(r => At(r.OccurredAt)[..10])
                .Select(g => new DraftDay(g.Key, g.Select(r => Item(r, r.Kind == EntryKinds.Message || r.Kind == EntryKinds.Detail || r.Kind == EntryKinds.Note
                    ? r.Text : Change(r, Name))).ToList()))
                .ToList(),
        };
    }

    private static string Title(string key) =>
        key == AdditionalDetails ? "Additional details" : Sections.Titles.TryGetValue(key, out var t) ? t : key;

    private static string Change(TimelineRow r, Func<string?, string> name)
    {
        System.Text.Json.JsonElement? data = r.Data is null ? null : System.Text.Json.JsonDocument.Parse(r.Data).RootElement;
        string? Field(string f) => data is { ValueKind: System.Text.Json.JsonValueKind.Object } d && d.TryGetProperty(f, out var v)
            && v.ValueKind == System.Text.Json.JsonValueKind.String ? v.GetString() : null;
        return r.Kind switch
        {
            EntryKinds.Status => $"{name(r.UserId)} set the status to {Field("to")}" + (string.IsNullOrEmpty(r.Text) ? "" : $": {r.Text}"),
            EntryKinds.Severity => $"{name(r.UserId)} set the severity to {Field("to")}",
            EntryKinds.Commander => $"{name(Field("to"))} became the incident commander",
            EntryKinds.Role => $"{name(Field("to"))} became {Field("role")}",
            EntryKinds.Opened => $"{name(r.UserId)} opened the incident: {r.Text}",
            EntryKinds.Link => $"Link: {r.Text} {Field("url")}",
            _ => r.Text ?? r.Kind,
        };
    }

    private async Task<Dictionary<string, List<string>>> Roles(Incident incident, CancellationToken ct)
    {
        var roles = new Dictionary<string, List<string>> { [incident.CommanderId] = ["incident commander"] };
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<(string Role, string UserId)>(new CommandDefinition(
            "select role, user_id from incident_roles where incident_id = @Id order by role", new { incident.Id }, cancellationToken: ct));
        foreach (var (role, user) in rows)
        {
            if (!roles.TryGetValue(user, out var list)) roles[user] = list = [];
            list.Add(role);
        }
        return roles;
    }

    private async Task<IReadOnlyList<DraftLink>> Links(long incidentId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<(string? Label, string Url)>(new CommandDefinition(
            "select label, url from incident_links where incident_id = @incidentId order by added_at, id", new { incidentId }, cancellationToken: ct));
        return rows.Select(r => new DraftLink(r.Label ?? r.Url, r.Url)).ToList();
    }
}
