using System.Globalization;
using System.Text.Json;
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
    /// (null: the point person's zone); null when there is no such incident. Quick enough for a request: at most
    /// UserDirectory's per-call number of uncached people is fetched (the rest show as cached or as ids).</summary>
    public Task<PostmortemDocument?> Build(long incidentId, string? timeZoneId, CancellationToken ct) =>
        Build(incidentId, timeZoneId, fetchAllNames: false, ct);

    /// <summary>As <see cref="Build(long, string?, CancellationToken)"/>, fetching every uncached person (users.info
    /// each): for jobs, which have the time, so that a document with many people names all of them.</summary>
    public Task<PostmortemDocument?> BuildComplete(long incidentId, string? timeZoneId, CancellationToken ct) =>
        Build(incidentId, timeZoneId, fetchAllNames: true, ct);

    private async Task<PostmortemDocument?> Build(long incidentId, string? timeZoneId, bool fetchAllNames, CancellationToken ct)
    {
        var incident = await incidents.Get(incidentId, ct);
        if (incident is null) return null;
        var postmortem = await postmortems.Get(incidentId, ct);
        var rows = await timeline.Entries(incidentId, includeDeleted: false, ct);
        var roles = await Roles(incident, ct);

        await questions.SyncMarked(incidentId, ct);
        var questionRows = await questions.List(incidentId, ct);
        var latest = await edits.Latest(incidentId, ct);
        var history = await edits.History(incidentId, ct);
        var meeting = await meetings.Get(incidentId, ct);
        var attendees = meeting is null ? [] : await meetings.Attendees(incidentId, ct);

        var changes = rows.Where(r => r.Kind is EntryKinds.Commander or EntryKinds.Role).Select(r => Field(r, "to"));
        var texts = rows.Select(r => r.Text).Concat(questionRows.SelectMany(q => new[] { q.Text, q.Answer })).Concat(latest.Values.Select(e => e.Text)).ToList();
        var ids = rows.Select(r => r.UserId).Concat(roles.Keys).Concat(changes).Concat(history.Select(h => h.EditedBy))
            .Concat(questionRows.SelectMany(q => new[] { q.AskedBy, q.AnsweredBy }))
            .Concat(attendees.Select(a => a.UserId)).Concat([meeting?.ModeratorId, meeting?.NotetakerId, postmortem?.PointPersonId])
            .Concat(texts.SelectMany(Mentions.UserIds))
            .OfType<string>().Distinct().ToList();
        var names = await people.People(ids, fetchAllNames ? int.MaxValue : 25, ct);
        var groups = await people.GroupHandles(texts.SelectMany(Mentions.GroupIds), ct);
        var channels = await ChannelNames(texts.SelectMany(DocumentText.ChannelIds).Distinct().ToArray(), ct);
        var zoneId = timeZoneId ?? (postmortem is null ? null : names.GetValueOrDefault(postmortem.PointPersonId)?.Tz);
        var zone = TimeZones.Find(zoneId);

        string Name(string? id) => id is null ? "someone" : names.TryGetValue(id, out var p) ? RealName(p) : id;
        string Text(string? slackText) => DocumentText.Plain(slackText, id => names.TryGetValue(id, out var p) ? RealName(p) : null,
            id => groups.GetValueOrDefault(id), id => channels.GetValueOrDefault(id));
        DateTime Local(DateTimeOffset utc) => TimeZones.ToLocal(utc, zone);
        string Stamp(DateTimeOffset t) => Local(t).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        string Clock(DateTimeOffset t) => Local(t).ToString("HH:mm", CultureInfo.InvariantCulture);
        DocumentItem Item(TimelineRow r, string text) => ItemAt(Utc(r.OccurredAt), zone, r.UserId, Name(r.UserId), text, r.Permalink);

        var captured = SectionKeys.Narrative.ToDictionary(k => k, _ => new List<DocumentItem>());
        foreach (var r in rows)
        {
            var isChange = r.Kind is EntryKinds.Opened or EntryKinds.Status or EntryKinds.Commander or EntryKinds.Role or EntryKinds.Severity;
            foreach (var s in r.Sections)
            {
                if (s == Sections.KeyPoints)
                    captured[s].Add(Item(r, DocumentPhrases.KeyPoint(Name(r.UserId), Clock(Utc(r.OccurredAt)), Text(r.Text))));
                else if (captured.TryGetValue(s, out var list))
                    list.Add(Item(r, Text(r.Text)));
            }
            if (r.Kind == EntryKinds.Detail) captured[SectionKeys.AdditionalDetails].Add(Item(r, Text(r.Text)));
            if (isChange) captured[Sections.KeyPoints].Add(Item(r, $"{KeyPoint(r, Name, Text)} at {Clock(Utc(r.OccurredAt))}"));
        }

        SectionEdit? Edit(string key) => latest.TryGetValue(key, out var e) ? new SectionEdit(e.Text, e.EditedBy, Name(e.EditedBy), e.EditedAt) : null;
        var openedAt = Utc(incident.CreatedAt);
        DateTimeOffset? resolvedAt = incident.ResolvedAt is { } ra ? Utc(ra) : null;
        var duration = resolvedAt is { } end ? Durations.Describe(end - openedAt) : null;
        var summaryEdit = Edit(SectionKeys.Summary);
        var actionItems = await actionItemStore.ForDocument(incidentId, rows, ct);
        var settledAt = await actionItemStore.AllSettledAt(incidentId, ct);
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
            Duration = duration,
            TimeZone = zone.Id,
            OpenedText = Stamp(openedAt),
            ResolvedText = resolvedAt is { } r2 ? Stamp(r2) : null,
            ImpactStatement = duration is null ? $"{incident.Title}: ongoing since {Stamp(openedAt)}" : $"{incident.Title} for {duration}",
            Phases = Phases(rows, openedAt, resolvedAt, time.GetUtcNow(), Stamp),
            Summary = summaryEdit is null && string.IsNullOrWhiteSpace(postmortem?.Summary) ? null
                : new DocumentSection(SectionKeys.Summary, SectionKeys.Title(SectionKeys.Summary), [],
                    summaryEdit ?? new SectionEdit(Text(postmortem!.Summary), postmortem.PointPersonId, Name(postmortem.PointPersonId), postmortem.Resolved)),
            Sections = SectionKeys.Narrative.Select(k => new DocumentSection(k, SectionKeys.Title(k), captured[k], Edit(k))).ToList(),
            People = ids.Where(id => rows.Any(r => r.UserId == id && r.Kind is EntryKinds.Message or EntryKinds.Note) || roles.ContainsKey(id))
                .Select(id => new DocumentPerson(id, Name(id), names.GetValueOrDefault(id)?.Title,
                    roles.TryGetValue(id, out var rs) ? rs : ["participant"]))
                .ToList(),
            Timeline = Days(rows.Where(r => r.Kind is not (EntryKinds.Joined or EntryKinds.Left))
                .Select(r => Item(r, r.Kind is EntryKinds.Message or EntryKinds.Detail or EntryKinds.Note ? Text(r.Text) + (r.Pinned ? " (pinned)" : "") : Change(r, Name, Text)))),
            WarRoom = new WarRoom(incident.ChannelId, incident.DisplayChannelName, await Links(incident.Id, ct)),
            Screenshots = rows.SelectMany(r => r.Images.Select(i => new Screenshot(DocumentPhrases.Caption(Text(r.Text)), i, Name(r.UserId), Stamp(Utc(r.OccurredAt)))))
                .DistinctBy(s => s.Url).ToList(),
            ActionItems = actionItems,
            ActionItemsSettledAt = settledAt,
            ActionItemsSettledOn = settledAt is { } sa ? Local(sa).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : null,
            Questions = questionRows.Select(q => new DocumentQuestion(q.Number, Text(q.Text), q.AskedBy is null ? null : Name(q.AskedBy),
                q.Answer is null ? null : Text(q.Answer), q.AnsweredBy is null ? null : Name(q.AnsweredBy), q.AnsweredAt is { } at ? Utc(at) : null)).ToList(),
            Meeting = meeting is null ? null : new DocumentMeeting(meeting.Start, meeting.Start is { } ms ? Stamp(ms) : null, meeting.DurationMinutes,
                meeting.ModeratorId is null ? null : Name(meeting.ModeratorId), meeting.NotetakerId is null ? null : Name(meeting.NotetakerId),
                attendees.Where(a => !a.Optional).Select(a => Name(a.UserId)).ToList(), meeting.CancelledAt is not null,
                meeting.IsScheduled && meeting.End <= time.GetUtcNow()),
            Publication = await Bot.Publishing.PublicationStore.ForDocument(db, incident.Id, Name, ct),
            Edits = history.Select(h => new DocumentEdit(h.Section, Name(h.EditedBy), h.EditedAt)).ToList(),
        };
    }

    private static DateTimeOffset Utc(DateTime t) => new(DateTime.SpecifyKind(t, DateTimeKind.Utc));

    private static string Offset(TimeSpan o) => (o < TimeSpan.Zero ? "-" : "+") + o.Duration().ToString(@"hh\:mm", CultureInfo.InvariantCulture);

    /// <summary>A captured line at <paramref name="at"/>, its date and time local to <paramref name="zone"/>.</summary>
    public static DocumentItem ItemAt(DateTimeOffset at, TimeZoneInfo zone, string? userId, string author, string text, string? permalink)
    {
        var local = TimeZones.ToLocal(at, zone);
        return new DocumentItem(at, local.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), local.ToString("HH:mm", CultureInfo.InvariantCulture),
            userId, author, text, permalink) { UtcOffset = Offset(zone.GetUtcOffset(at)) };
    }

    /// <summary>Items (in time order) grouped by their local day.</summary>
    public static IReadOnlyList<TimelineDay> Days(IEnumerable<DocumentItem> items) =>
        items.GroupBy(i => i.Date).Select(g => Day(g.Key, g.ToList())).ToList();

    /// <summary>A day of the timeline; when the zone's offset changes during it (daylight saving), says so.</summary>
    public static TimelineDay Day(string date, IReadOnlyList<DocumentItem> entries)
    {
        var weekday = DateTime.ParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture).DayOfWeek.ToString();
        var offsets = entries.Select(e => e.UtcOffset).OfType<string>().Distinct().ToList();
        return new TimelineDay(date, weekday, entries) { ClockChange = offsets.Count > 1 ? string.Join(" → ", offsets.Select(o => "UTC" + o)) : null };
    }

    /// <summary>The name the document uses: the profile's real name, else what Slack shows.</summary>
    private static string RealName(Person p) => DocumentPhrases.RealName(p.RealName, p.Name);

    private static string? Field(TimelineRow r, string f)
    {
        if (r.Data is null) return null;
        using var data = JsonDocument.Parse(r.Data);
        return data.RootElement.ValueKind == JsonValueKind.Object && data.RootElement.TryGetProperty(f, out var v) && v.ValueKind == JsonValueKind.String
            ? v.GetString() : null;
    }

    /// <summary>A change as a timeline line: the line already names who did it and when.</summary>
    private static string Change(TimelineRow r, Func<string?, string> name, Func<string?, string> text) => r.Kind switch
    {
        EntryKinds.Status => $"set the status to {Field(r, "to")}" + (string.IsNullOrEmpty(r.Text) ? "" : $": {text(r.Text)}"),
        EntryKinds.Severity => $"set the severity to {Field(r, "to")}",
        EntryKinds.Commander => $"{name(Field(r, "to"))} became the incident commander",
        EntryKinds.Role => $"{name(Field(r, "to"))} became {Field(r, "role")}",
        EntryKinds.Opened => $"opened the incident: {text(r.Text)}",
        EntryKinds.Link => $"Link: {text(r.Text)} {Field(r, "url")}".TrimEnd(),
        _ => text(r.Text ?? r.Kind),
    };

    /// <summary>A change as a key point, phrased as what the person did ("Jane Doe identified the incident").</summary>
    private static string KeyPoint(TimelineRow r, Func<string?, string> name, Func<string?, string> text) => r.Kind switch
    {
        EntryKinds.Opened => $"{name(r.UserId)} opened the incident",
        EntryKinds.Status => Field(r, "to") switch
        {
            "identified" => $"{name(r.UserId)} identified the incident",
            "monitoring" => $"{name(r.UserId)} started monitoring the fix",
            "resolved" => $"{name(r.UserId)} resolved the incident",
            "investigating" => $"{name(r.UserId)} reopened the investigation",
            var to => $"{name(r.UserId)} set the status to {to}",
        },
        EntryKinds.Severity => $"{name(r.UserId)} set the severity to {Field(r, "to")}",
        EntryKinds.Commander => $"{name(Field(r, "to"))} became the incident commander",
        EntryKinds.Role => $"{name(Field(r, "to"))} became {Field(r, "role")}",
        _ => $"{name(r.UserId)} {Change(r, name, text)}",
    };

    /// <summary>Opened → each status change → resolved; the first phase's name is the status the incident opened with.</summary>
    private static IReadOnlyList<DocumentPhase> Phases(IReadOnlyList<TimelineRow> rows, DateTimeOffset openedAt, DateTimeOffset? resolvedAt,
        DateTimeOffset now, Func<DateTimeOffset, string> stamp)
    {
        var statuses = rows.Where(r => r.Kind == EntryKinds.Status).Select(r => (At: Utc(r.OccurredAt), From: Field(r, "from"), To: Field(r, "to") ?? "changed")).ToList();
        var phases = new List<(string Name, DateTimeOffset Start)> { (statuses.FirstOrDefault().From ?? "investigating", openedAt) };
        foreach (var s in statuses.Where(s => s.To != "resolved" && s.At >= openedAt)) phases.Add((s.To, s.At));
        return phases.Select((p, i) =>
        {
            DateTimeOffset? end = i + 1 < phases.Count ? phases[i + 1].Start : resolvedAt;
            // A still-open phase is drawn up to now; every phase at least a minute wide, so the diagram shows it.
            var minutes = (int)Math.Max(1, Math.Round(((end ?? now) - p.Start).TotalMinutes));
            return new DocumentPhase(p.Name, p.Start, end, stamp(p.Start), minutes);
        }).ToList();
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

    /// <summary>Names of channels linked without a label (&lt;#C1&gt;): the incident channels the bot knows.</summary>
    private async Task<IReadOnlyDictionary<string, string>> ChannelNames(string[] ids, CancellationToken ct)
    {
        if (ids.Length == 0) return new Dictionary<string, string>();
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<(string Id, string Name)>(new CommandDefinition(
            "select channel_id, coalesce(channel_created_name, channel_name) from incidents where channel_id = any(@ids)", new { ids }, cancellationToken: ct));
        return rows.DistinctBy(r => r.Id).ToDictionary(r => r.Id, r => r.Name);
    }

    private async Task<IReadOnlyList<DocumentLink>> Links(long incidentId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<(string? Label, string Url, string Source)>(new CommandDefinition(
            "select label, url, source from incident_links where incident_id = @incidentId order by added_at, id", new { incidentId }, cancellationToken: ct));
        return rows.Select(r => new DocumentLink(r.Label ?? r.Url, r.Url, r.Source)).ToList();
    }
}
