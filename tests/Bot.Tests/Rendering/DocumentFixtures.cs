using Bot.Documents;
using Bot.Postmortems;
using Bot.Timeline;
using static Bot.Documents.DocumentBuilder;

namespace Bot.Tests.Rendering;

/// <summary>Fixed documents for the golden files, built the way DocumentBuilder builds them (its ItemAt/Days, and
/// DocumentText for Slack's markup), but without a database, so every byte of the output is fixed.</summary>
public static class DocumentFixtures
{
    private static readonly TimeZoneInfo London = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");

    public static IReadOnlyList<(string Name, PostmortemDocument Document)> All =>
        [("short", Short()), ("multiday-dst", MultiDayAcrossDst()), ("unicode-mentions", UnicodeAndMentions()), ("injection", Injection())];

    private sealed record Line(DateTimeOffset At, string User, string Author, string Text, params string[] Sections);

    private static PostmortemDocument Document(string title, string severity, DateTimeOffset opened, DateTimeOffset? resolved, TimeZoneInfo zone,
        IReadOnlyList<Line> lines, IReadOnlyList<DocumentPerson> people, IReadOnlyList<(string Name, DateTimeOffset At)> statuses,
        IReadOnlyDictionary<string, string>? edits = null)
    {
        string Stamp(DateTimeOffset t) => TimeZoneInfo.ConvertTime(t, zone).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        string Clock(DateTimeOffset t) => TimeZoneInfo.ConvertTime(t, zone).ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        var items = lines.Select(l => (Line: l, Item: ItemAt(l.At, zone, l.User, l.Author, l.Text, $"https://acme.slack.com/archives/C1/p{l.At.ToUnixTimeSeconds()}"))).ToList();
        var edited = edits ?? new Dictionary<string, string>();
        SectionEdit? Edit(string key) => edited.TryGetValue(key, out var t) ? new SectionEdit(t, people[0].UserId, people[0].Name, opened.AddDays(1)) : null;
        var sections = SectionKeys.Narrative.Select(k =>
        {
            var captured = items.Where(i => i.Line.Sections.Contains(k))
                .Select(i => k == Sections.KeyPoints ? i.Item with { Text = $"{i.Item.Author} at {Clock(i.Item.At)}: {i.Item.Text}" } : i.Item).ToList();
            if (k == Sections.KeyPoints)
                captured.AddRange(statuses.Select(s => ItemAt(s.At, zone, people[0].UserId, people[0].Name, $"{people[0].Name} {Phrase(s.Name)} at {Clock(s.At)}", null)));
            return new DocumentSection(k, SectionKeys.Title(k), captured.OrderBy(i => i.At).ToList(), Edit(k));
        }).ToList();
        var phases = statuses.Where(s => s.Name != "resolved").Prepend((Name: "investigating", At: opened)).ToList();
        var duration = resolved is { } r ? Durations.Describe(r - opened) : null;
        return new PostmortemDocument
        {
            IncidentId = 42, Number = 42, Title = title, Severity = severity, Status = resolved is null ? "monitoring" : "resolved",
            ChannelId = "C0INC42", ChannelName = "inc-20261127-checkout", OpenedAt = opened, ResolvedAt = resolved, Duration = duration,
            TimeZone = zone.Id, OpenedText = Stamp(opened), ResolvedText = resolved is { } rr ? Stamp(rr) : null,
            ImpactStatement = duration is null ? null : $"{title} for {duration}",
            Phases = phases.Select((p, i) =>
            {
                DateTimeOffset? end = i + 1 < phases.Count ? phases[i + 1].At : resolved;
                return new DocumentPhase(p.Name, p.At, end, Stamp(p.At), (int)Math.Max(1, ((end ?? p.At.AddMinutes(1)) - p.At).TotalMinutes));
            }).ToList(),
            Summary = Edit(SectionKeys.Summary) is { } summary ? new DocumentSection(SectionKeys.Summary, "Summary", [], summary) : null,
            Sections = sections,
            People = people,
            Timeline = Days(items.Select(i => i.Item)
                .Concat(statuses.Select(s => ItemAt(s.At, zone, people[0].UserId, people[0].Name, $"set the status to {s.Name}", null)))
                .OrderBy(i => i.At)),
            WarRoom = new WarRoom("C0INC42", "inc-20261127-checkout",
                [new DocumentLink("Grafana: checkout", "https://grafana.acme.example/d/checkout?from=now-6h&to=now", "command"),
                 new DocumentLink("Error logs", "https://logs.acme.example/search?q=status:502", "pin")]),
            Screenshots = [new Screenshot("Error rate at 03:20", "https://acme.slack.com/files/U0JANE/F0SHOT1/errors.png", people[0].Name, Stamp(opened.AddMinutes(10)))],
            ActionItems = items.Where(i => i.Line.Sections.Contains(Sections.ActionItems))
                .Select(i => new DocumentActionItem(i.Item.Text, null, null, null, "open", i.Item.Permalink) { RaisedBy = i.Item.Author }).ToList(),
            Questions = items.Where(i => i.Line.Sections.Contains(Sections.Questions))
                .Select((i, n) => new DocumentQuestion(n + 1, i.Item.Text, i.Item.Author, n == 0 ? "The pool size was halved in the last deploy." : null,
                    n == 0 ? people[^1].Name : null, n == 0 ? opened.AddDays(1) : null)).ToList(),
            Meeting = resolved is { } m ? new DocumentMeeting(m.AddDays(2), Stamp(m.AddDays(2)), 45, people[0].Name, people[^1].Name,
                people.Select(p => p.Name).ToList(), false, false) : null,
            Edits = edited.Keys.Select(k => new DocumentEdit(k, people[0].Name, opened.AddDays(1))).ToList(),
        };
    }

    private static string Phrase(string status) => status switch
    {
        "identified" => "identified the incident",
        "monitoring" => "started monitoring the fix",
        "resolved" => "resolved the incident",
        _ => $"set the status to {status}",
    };

    private static DateTimeOffset Utc(int month, int day, int hour, int minute) => new(2026, month, day, hour, minute, 0, TimeSpan.Zero);

    private static readonly DocumentPerson[] Team =
    [
        new("U0JANE", "Jane Doe", "Engineer", ["incident commander"]),
        new("U0SAM", "Sam Roe", "SRE", ["comms"]),
        new("U0KIM", "Kim Lee", null, ["participant"]),
    ];

    /// <summary>A two-hour incident on one day.</summary>
    public static PostmortemDocument Short()
    {
        var o = Utc(11, 27, 3, 10);
        var document = Document("Checkout is failing", "sev2", o, o.AddMinutes(134), London,
        [
            new(o.AddMinutes(2), "U0SAM", "Sam Roe", "Checkout returns 502 for about 30% of requests", Sections.Symptoms, Sections.Observations),
            new(o.AddMinutes(9), "U0KIM", "Kim Lee", "DB connection pool exhausted on checkout-api", Sections.Hypothesis, Sections.KeyPoints),
            new(o.AddMinutes(15), "U0KIM", "Kim Lee", "Why was the pool halved?", Sections.Questions),
            new(o.AddMinutes(31), "U0JANE", "Jane Doe", "Rolled back to 2026.11.26-3", Sections.Remediation),
            new(o.AddMinutes(40), "U0SAM", "Sam Roe", "About 1,200 orders failed", Sections.Impact),
            new(o.AddMinutes(60), "U0KIM", "Kim Lee", "Alert on pool saturation", Sections.ActionItems),
            new(o.AddMinutes(70), "U0SAM", "Sam Roe", "The rollback took 4 minutes", Sections.WentWell),
            new(o.AddMinutes(80), "U0JANE", "Jane Doe", "Paging reached the wrong team first", Sections.WentBadly),
        ], Team, [("identified", o.AddMinutes(9)), ("monitoring", o.AddMinutes(31)), ("resolved", o.AddMinutes(134))],
        new Dictionary<string, string> { [SectionKeys.Summary] = "A config change halved the DB pool; checkout failed until the rollback." });
        // Its one action item is done: the document says when the last one was settled.
        return document with
        {
            ActionItems = document.ActionItems.Select(a => a with { Status = "done", OwnerId = "U0KIM", Owner = "Kim Lee", Due = "2026-12-10" }).ToList(),
            ActionItemsSettledAt = Utc(12, 9, 16, 0), ActionItemsSettledOn = "2026-12-09",
        };
    }

    /// <summary>Saturday evening to Monday in London, across the end of summer time (2026-10-25 02:00 BST → 01:00 GMT):
    /// 01:30 happens twice that night.</summary>
    public static PostmortemDocument MultiDayAcrossDst()
    {
        var o = Utc(10, 24, 21, 30);
        return Document("Replication lag on the orders database", "sev1", o, Utc(10, 26, 10, 0), London,
        [
            new(Utc(10, 24, 21, 35), "U0SAM", "Sam Roe", "Replica 3 is 40 minutes behind", Sections.Observations),
            new(Utc(10, 25, 0, 30), "U0KIM", "Kim Lee", "Still lagging at 01:30 BST", Sections.Symptoms),
            new(Utc(10, 25, 1, 30), "U0KIM", "Kim Lee", "Still lagging at 01:30 GMT, an hour later"),
            new(Utc(10, 25, 9, 0), "U0JANE", "Jane Doe", "Vacuum on the orders table is blocking replay", Sections.Hypothesis),
            new(Utc(10, 26, 8, 0), "U0JANE", "Jane Doe", "Replica rebuilt from a fresh base backup", Sections.Remediation),
        ], Team, [("identified", Utc(10, 25, 9, 0)), ("monitoring", Utc(10, 26, 8, 0)), ("resolved", Utc(10, 26, 10, 0))]);
    }

    /// <summary>Names in several scripts, and Slack's markup resolved the way the builder resolves it.</summary>
    public static PostmortemDocument UnicodeAndMentions()
    {
        var users = new Dictionary<string, string> { ["U0ZOE"] = "Zoë Ångström", ["U0LI"] = "李小龙", ["U0JOSE"] = "José Ñúñez" };
        string Text(string slack) => DocumentText.Plain(slack, users.GetValueOrDefault, g => g == "S0ONCALL" ? "oncall" : null,
            c => c == "C0OPS" ? "ops" : null);
        var people = new DocumentPerson[]
        {
            new("U0ZOE", "Zoë Ångström", "Ingénieure", ["incident commander"]),
            new("U0LI", "李小龙", "后端", ["participant"]),
            new("U0JOSE", "José Ñúñez", "SRE 🚒", ["participant"]),
        };
        var o = Utc(11, 27, 9, 0);
        return Document("Paiement ❌ en panne — Zahlung fehlgeschlagen", "sev2", o, o.AddMinutes(75), TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris"),
        [
            new(o.AddMinutes(3), "U0LI", "李小龙", Text("<@U0ZOE> and <!subteam^S0ONCALL|@oncall>: payments fail, see <#C0OPS> &amp; <#C0OTHER|payments-team>"), Sections.Symptoms),
            new(o.AddMinutes(5), "U0JOSE", "José Ñúñez", Text("Dashboard: <https://grafana.acme.example/d/pay|Grafana> — errors &lt; 5% &amp;&amp; rising"), Sections.Observations),
            new(o.AddMinutes(20), "U0ZOE", "Zoë Ångström", Text("<@U0UNKNOWN> rotated the key 🔑 at <!date^1795770000^{time}|09:20>"), Sections.KeyPoints),
        ], people, [("identified", o.AddMinutes(20)), ("resolved", o.AddMinutes(75))]);
    }

    /// <summary>User text that tries to ping everyone, run template code, inject HTML or break the Markdown.</summary>
    public static PostmortemDocument Injection()
    {
        var o = Utc(11, 27, 12, 0);
        var doc = Document("<!channel> {{ 1 + 1 }} <script>alert(1)</script> | x |", "sev3", o, o.AddMinutes(30), London,
        [
            new(o.AddMinutes(1), "U0SAM", "Sam | Roe", "<!channel> <!here> {{ title }} {% raw %} <script>alert('x')</script>", Sections.Symptoms),
            new(o.AddMinutes(2), "U0KIM", "Kim *Lee*", "| pipes | in | cells | and a \\ backslash", Sections.Observations, Sections.ActionItems),
            new(o.AddMinutes(3), "U0KIM", "Kim *Lee*", "# heading\n- not a list\n```\nrm -rf /\n```", Sections.Hypothesis, Sections.Questions),
            new(o.AddMinutes(4), "U0JANE", "Jane Doe", "`code` [link](javascript:alert(1)) ![img](x) &amp; &lt;b&gt;", Sections.Questions),
        ], Team, [("resolved", o.AddMinutes(30))],
        new Dictionary<string, string>
        {
            [SectionKeys.Learn] = "# Not a heading\n- not a list\n> not a quote\n1. not numbered\n\n{{ for x in (1..3) }}{{ x }}{{ end }} <img src=x onerror=alert(1)>",
            [SectionKeys.Summary] = "<@U0SAM> said <!channel> & {{ 1 + 1 }}",
        });
        return doc with
        {
            WarRoom = new WarRoom("C0INC42", "inc-<b>", [new DocumentLink("evil](javascript:alert(1))", "javascript:alert(1)", "command"),
                new DocumentLink("ok <b>", "https://example.com/a b(c)", "pin")]),
        };
    }
}
