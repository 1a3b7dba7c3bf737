using System.Globalization;
using System.Net;
using Bot.Database;
using Bot.Incidents;
using Bot.People;
using Bot.Postmortems;
using Bot.Postmortems.Meetings;
using Bot.Postmortems.Scheduling;
using Bot.Timeline;
using Dapper;

namespace Bot.Documents;

/// <summary>Builds the document from the stored facts: capture (TimelineReader), hand edits, questions, the meeting.
/// Slack calls only through UserDirectory's name lookups.</summary>
/// <remarks>v0: the shape every caller relies on (Build's signature and the model); its insides grow with the
/// rendering work.</remarks>
public sealed class DocumentBuilder(
    Db db,
    IncidentStore incidents,
    PostmortemStore postmortems,
    TimelineReader timeline,
    UserDirectory people,
    SectionEditStore edits,
    QuestionStore questions,
    MeetingStore meetings,
    ActionItems.ActionItemStore actionItemStore,
    TimeProvider time)
{
    /// <summary>The document of incident <paramref name="incidentId"/> with local times in <paramref name="timeZoneId"/>
    /// (null: the point person's zone); null when there is no such incident.</summary>
    public async Task<PostmortemDocument?> Build(long incidentId, string? timeZoneId, CancellationToken ct)
    {
        var incident = await incidents.Get(incidentId, ct);
        if (incident is null) return null;
        var postmortem = await postmortems.Get(incidentId, ct);
        var rows = await timeline.Entries(incidentId, includeDeleted: false, ct);
        var roles = await Roles(incident, ct);

        var marked = rows.Where(r => r.Sections.Contains(Sections.Questions) && r.SlackTs is not null)
            .Select(r => new MarkedQuestion(r.SlackTs!, r.Text ?? "", r.UserId, Utc(r.OccurredAt)));
        await questions.SyncMarked(incidentId, marked, ct);
        var questionRows = await questions.List(incidentId, ct);
        var latest = await edits.Latest(incidentId, ct);
        var history = await edits.History(incidentId, ct);
        var meeting = await meetings.Get(incidentId, ct);
        var attendees = meeting is null ? [] : await meetings.Attendees(incidentId, ct);

        var ids = rows.Select(r => r.UserId).Concat(roles.Keys).Concat(history.Select(h => h.EditedBy))
            .Concat(questionRows.SelectMany(q => new[] { q.AskedBy, q.AnsweredBy }))
            .Concat(attendees.Select(a => a.UserId)).Concat([meeting?.ModeratorId, meeting?.NotetakerId, postmortem?.PointPersonId])
            .OfType<string>().Distinct().ToList();
        ids.AddRange(rows.SelectMany(r => MentionedUsers(r.Text)).Where(id => !ids.Contains(id)).Distinct().ToList());
        var names = await people.People(ids, ct);
        var groups = await people.GroupHandles(rows.SelectMany(r => MentionedGroups(r.Text)), ct);
        var zoneId = timeZoneId ?? (postmortem is null ? null : names.GetValueOrDefault(postmortem.PointPersonId)?.Tz);
        var zone = TimeZones.Find(zoneId);

        string Name(string? id) => id is null ? "someone" : names.TryGetValue(id, out var p) ? RealName(p) : id;
        string Text(string? slackText) => Plain(slackText, id => names.TryGetValue(id, out var p) ? RealName(p) : null, id => groups.GetValueOrDefault(id));
        DateTime Local(DateTimeOffset utc) => TimeZones.ToLocal(utc, zone);
        DocumentItem Item(TimelineRow r, string text)
        {
            var local = Local(Utc(r.OccurredAt));
            return new DocumentItem(Utc(r.OccurredAt), local.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                local.ToString("HH:mm", CultureInfo.InvariantCulture), r.UserId, Name(r.UserId), text, r.Permalink);
        }

        var captured = SectionKeys.Narrative.ToDictionary(k => k, _ => new List<DocumentItem>());
        foreach (var r in rows)
        {
            foreach (var s in r.Sections)
                if (captured.TryGetValue(s, out var list)) list.Add(Item(r, Text(r.Text)));
            if (r.Kind == EntryKinds.Detail) captured[SectionKeys.AdditionalDetails].Add(Item(r, Text(r.Text)));
            if (r.Kind is EntryKinds.Status or EntryKinds.Commander or EntryKinds.Role or EntryKinds.Severity)
                captured[Sections.KeyPoints].Add(Item(r, Change(r, Name)));
        }

        SectionEdit? Edit(string key) => latest.TryGetValue(key, out var e) ? new SectionEdit(e.Text, e.EditedBy, Name(e.EditedBy), e.EditedAt) : null;
        var openedAt = Utc(incident.CreatedAt);
        DateTimeOffset? resolvedAt = incident.ResolvedAt is { } ra ? Utc(ra) : null;
        string Stamp(DateTimeOffset t) => Local(t).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        var summaryEdit = Edit(SectionKeys.Summary);
        return new PostmortemDocument
        {
            IncidentId = incident.Id,
            Number = incident.Number,
            Title = incident.Title,
            Severity = incident.Severity,
            Status = incident.Status,
            ChannelId = incident.ChannelId,
            ChannelName = incident.DisplayChannelName,
            OpenedAt = openedAt,
            ResolvedAt = resolvedAt,
            Duration = resolvedAt is { } end ? Durations.Describe(end - openedAt) : null,
            TimeZone = zone.Id,
            OpenedText = Stamp(openedAt),
            ResolvedText = resolvedAt is { } r2 ? Stamp(r2) : null,
            Summary = summaryEdit is null && string.IsNullOrWhiteSpace(postmortem?.Summary) ? null
                : new DocumentSection(SectionKeys.Summary, SectionKeys.Title(SectionKeys.Summary), [], summaryEdit ?? new SectionEdit(Text(postmortem!.Summary), postmortem.PointPersonId, Name(postmortem.PointPersonId), postmortem.Resolved)),
            Sections = SectionKeys.Narrative.Select(k => new DocumentSection(k, SectionKeys.Title(k), captured[k], Edit(k))).ToList(),
            People = ids.Where(id => rows.Any(r => r.UserId == id && r.Kind == EntryKinds.Message) || roles.ContainsKey(id))
                .Select(id => new DocumentPerson(id, Name(id), names.GetValueOrDefault(id)?.Title,
                    roles.TryGetValue(id, out var rs) ? rs : ["participant"]))
                .ToList(),
            Timeline = rows.Where(r => r.Kind is not (EntryKinds.Joined or EntryKinds.Left))
                .Select(r => Item(r, r.Kind is EntryKinds.Message or EntryKinds.Detail or EntryKinds.Note ? Text(r.Text) : Change(r, Name)))
                .GroupBy(i => i.Date)
                .Select(g => new TimelineDay(g.Key, DateTime.ParseExact(g.Key, "yyyy-MM-dd", CultureInfo.InvariantCulture).DayOfWeek.ToString(), g.ToList()))
                .ToList(),
            WarRoom = new WarRoom(incident.ChannelId, incident.DisplayChannelName, await Links(incident.Id, ct)),
            Screenshots = rows.SelectMany(r => r.Images.Select(i => new Screenshot("Screenshot", i, Name(r.UserId), Stamp(Utc(r.OccurredAt)))))
                .DistinctBy(s => s.Url).ToList(),
            ActionItems = await actionItemStore.ForDocument(incidentId, rows, ct),
            Questions = questionRows.Select(q => new DocumentQuestion(q.Number, Text(q.Text), q.AskedBy is null ? null : Name(q.AskedBy),
                q.Answer, q.AnsweredBy is null ? null : Name(q.AnsweredBy), q.AnsweredAt is { } at ? Utc(at) : null)).ToList(),
            Meeting = meeting is null ? null : new DocumentMeeting(meeting.Start, meeting.Start is { } ms ? Stamp(ms) : null, meeting.DurationMinutes,
                meeting.ModeratorId is null ? null : Name(meeting.ModeratorId), meeting.NotetakerId is null ? null : Name(meeting.NotetakerId),
                attendees.Where(a => !a.Optional).Select(a => Name(a.UserId)).ToList(), meeting.CancelledAt is not null,
                meeting.IsScheduled && meeting.End <= time.GetUtcNow()),
            Publication = null,
            Edits = history.Select(h => new DocumentEdit(h.Section, Name(h.EditedBy), h.EditedAt)).ToList(),
        };
    }

    private static DateTimeOffset Utc(DateTime t) => new(DateTime.SpecifyKind(t, DateTimeKind.Utc));

    /// <summary>The name the document uses: the profile's real name, else what Slack shows.</summary>
    private static string RealName(Person p) => !string.IsNullOrWhiteSpace(p.RealName) ? p.RealName! : p.Name;

    private static IEnumerable<string> MentionedUsers(string? text) =>
        text is null ? [] : System.Text.RegularExpressions.Regex.Matches(text, "<@([UW][A-Z0-9]+)(?:\\|[^>]*)?>").Select(m => m.Groups[1].Value);

    private static IEnumerable<string> MentionedGroups(string? text) =>
        text is null ? [] : System.Text.RegularExpressions.Regex.Matches(text, "<!subteam\\^([A-Z0-9]+)(?:\\|[^>]*)?>").Select(m => m.Groups[1].Value);

    /// <summary>Slack's stored text as plain text: mentions as names, Slack's entities decoded.</summary>
    private static string Plain(string? text, Func<string, string?> user, Func<string, string?> group)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var named = Mentions.ToNames(text, user, group);
        named = System.Text.RegularExpressions.Regex.Replace(named, "<#[CG][A-Z0-9]+\\|([^>]*)>", "#$1");
        named = System.Text.RegularExpressions.Regex.Replace(named, "<!(channel|here|everyone)(?:\\|[^>]*)?>", "@$1");
        named = System.Text.RegularExpressions.Regex.Replace(named, "<(https?://[^|>]+)\\|([^>]*)>", "$2 ($1)");
        named = System.Text.RegularExpressions.Regex.Replace(named, "<(https?://[^>]+)>", "$1");
        return WebUtility.HtmlDecode(named);
    }

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

    private async Task<IReadOnlyList<DocumentLink>> Links(long incidentId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<(string? Label, string Url, string Source)>(new CommandDefinition(
            "select label, url, source from incident_links where incident_id = @incidentId order by added_at, id", new { incidentId }, cancellationToken: ct));
        return rows.Select(r => new DocumentLink(r.Label ?? r.Url, r.Url, r.Source)).ToList();
    }
}
