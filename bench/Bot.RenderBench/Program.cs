using System.Diagnostics;
using System.Globalization;
using Bot.Documents;
using Bot.Rendering;

// Usage: dotnet bench/Bot.RenderBench/bin/Release/net10.0/Bot.RenderBench.dll [--entries 10000] [--runs 30] [--warmup 5]
//        [--templates <folder of *.sbn overrides>]
var entries = Arg("--entries", 10_000);
var runs = Arg("--runs", 30);
var warmup = Arg("--warmup", 5);
if (entries <= 0 || runs <= 0 || warmup < 0)
{
    Console.Error.WriteLine("usage: Bot.RenderBench [--entries N>0] [--runs N>0] [--warmup N>=0]");
    return 2;
}

var document = Build(entries);
var templatesAt = Array.IndexOf(args, "--templates") is var t and >= 0 && t + 1 < args.Length ? args[t + 1] : null;
var renderer = new DocumentRenderer(new TemplateRenderer(templatesAt));
Console.WriteLine($"document: {entries} timeline entries over {document.Timeline.Count} days, {document.Sections.Sum(s => s.Items.Count)} section items, " +
                  $"{document.People.Count} people; {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}, " +
                  $"{System.Runtime.InteropServices.RuntimeInformation.OSDescription}");
Measure("Markdown", () => renderer.Markdown(document));
Measure("HTML", () => renderer.Html(document));
return 0;

void Measure(string name, Func<string> render)
{
    var length = 0;
    for (var i = 0; i < warmup; i++) length = render().Length;
    var times = new List<double>();
    var cpu = new List<double>();
    var bytes = new List<long>();
    using var process = Process.GetCurrentProcess();
    for (var i = 0; i < runs; i++)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        process.Refresh();
        var cpuBefore = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        length = render().Length;
        clock.Stop();
        process.Refresh();
        cpu.Add((process.TotalProcessorTime - cpuBefore).TotalMilliseconds);
        bytes.Add(GC.GetAllocatedBytesForCurrentThread() - before);
        times.Add(clock.Elapsed.TotalMilliseconds);
    }
    times.Sort();
    cpu.Sort();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{name,-9} output {length / 1024.0 / 1024.0:F1} MiB chars  mean {times.Average(),7:F1} ms  p50 {times[times.Count / 2],7:F1} ms  " +
        $"max {times[^1],7:F1} ms  cpu p50 {cpu[cpu.Count / 2],7:F1} ms  allocated {bytes.Average() / 1024.0 / 1024.0,7:F1} MiB/render  ({runs} runs after {warmup} warm-up)"));
}

int Arg(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var v) ? v : i >= 0 ? -1 : fallback;
}

// A long incident: entries spread over three days in London, 40 people, every tenth entry marked for a section,
// text with characters every format escapes. "cpu" is the process's CPU time during the render (GC threads
// included): on a shared machine it moves less than the wall-clock time.
static PostmortemDocument Build(int count)
{
    var zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");
    var start = new DateTimeOffset(2026, 11, 24, 8, 0, 0, TimeSpan.Zero);
    var step = TimeSpan.FromDays(3) / count;
    var people = Enumerable.Range(0, 40).Select(i => new DocumentPerson($"U{i:D4}", $"Person {i} Ångström", i % 3 == 0 ? null : "Engineer", ["participant"])).ToList();
    var items = Enumerable.Range(0, count).Select(i => DocumentBuilder.ItemAt(start + step * i, zone, people[i % 40].UserId, people[i % 40].Name,
        $"Message {i}: checkout p99 at {i % 900} ms, see @Person {(i + 7) % 40} & #ops <https://grafana.example/d/{i}> | {(i % 2 == 0 ? "ok" : "not ok")}",
        $"https://acme.slack.com/archives/C1/p{i}")).ToList();
    var sections = SectionKeys.Narrative.Select((k, n) => new DocumentSection(k, SectionKeys.Title(k), items.Where((_, i) => i % 100 == n * 10).ToList(), null)).ToList();
    var end = start + step * count;
    return new PostmortemDocument
    {
        IncidentId = 1, Number = 1234, Title = "Checkout latency | & <slow>", Severity = "sev1", Status = "resolved", ChannelId = "C1",
        ChannelName = "inc-20261124-checkout", OpenedAt = start, ResolvedAt = end, Duration = "3 d 0 h", TimeZone = zone.Id,
        OpenedText = "2026-11-24 08:00", ResolvedText = "2026-11-27 08:00", ImpactStatement = "Checkout latency for 3 d 0 h",
        Phases = [new DocumentPhase("investigating", start, end, "2026-11-24 08:00", 4320)],
        Sections = sections, People = people, Timeline = DocumentBuilder.Days(items),
        WarRoom = new WarRoom("C1", "inc-20261124-checkout", [new DocumentLink("Grafana", "https://grafana.example/d", "pin")]),
        Screenshots = [], ActionItems = [], Questions = [], Edits = [],
    };
}
