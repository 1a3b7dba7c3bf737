using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Bot.History;

// Usage: dotnet bench/Bot.DraftBench/bin/Release/net10.0/Bot.DraftBench.dll [--messages 100000] [--days 30] [--runs 3] [--zip]
// Writes the export, then runs `draft` on it in a fresh process per run (so the generator's memory is not counted).
if (args is ["--measure", var export, var output])
{
    // The child: the draft command exactly as the CLI runs it, then its own time and peak memory.
    var clock = Stopwatch.StartNew();
    var exit = await DraftCommand.RunAsync(["draft", "--export", export, "--channel", Generator.Channel, "--out", output], TextWriter.Null, Console.Error);
    clock.Stop();
    using var self = Process.GetCurrentProcess();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{exit} {clock.Elapsed.TotalMilliseconds:F0} {self.PeakWorkingSet64 / 1048576.0:F0} {GC.GetTotalAllocatedBytes() / 1048576.0:F0} {new FileInfo(output).Length}"));
    return exit;
}

var messages = Arg("--messages", 100_000);
var days = Arg("--days", 30);
var runs = Arg("--runs", 3);
if (messages <= 0 || days <= 0 || runs <= 0)
{
    Console.Error.WriteLine("usage: Bot.DraftBench [--messages N>0] [--days N>0] [--runs N>0] [--zip]");
    return 2;
}

var root = Directory.CreateTempSubdirectory("draft-bench-").FullName;
try
{
    var folder = Path.Combine(root, "export");
    Generate(folder, messages, days);
    var input = folder;
    if (args.Contains("--zip"))
    {
        input = Path.Combine(root, "export.zip");
        System.IO.Compression.ZipFile.CreateFromDirectory(folder, input);
    }
    var size = args.Contains("--zip") ? new FileInfo(input).Length : Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
    Console.WriteLine($"export: {messages} messages over {days} days in #{Generator.Channel}, {size / 1048576.0:F1} MiB {(args.Contains("--zip") ? "zip" : "folder")}; " +
                      $"{Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}");
    Console.WriteLine("run | exit | draft time | peak working set | allocated | document");
    for (var i = 1; i <= runs; i++)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true };
        start.ArgumentList.Add(typeof(Generator).Assembly.Location);
        foreach (var a in new[] { "--measure", input, Path.Combine(root, "postmortem.md") }) start.ArgumentList.Add(a);
        using var child = Process.Start(start)!;
        var line = (await child.StandardOutput.ReadToEndAsync()).Trim().Split(' ');
        await child.WaitForExitAsync();
        if (child.ExitCode != 0 || line.Length != 5)
        {
            Console.Error.WriteLine($"run {i}: the draft failed (exit {child.ExitCode}): {string.Join(' ', line)}");
            return 1;
        }
        Console.WriteLine($"{i} | {line[0]} | {line[1]} ms | {line[2]} MiB | {line[3]} MiB | {long.Parse(line[4], CultureInfo.InvariantCulture) / 1048576.0:F1} MiB");
    }
    return 0;
}
finally
{
    Directory.Delete(root, recursive: true);
}

int Arg(string name, int fallback) =>
    Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var v) ? v : fallback;

static void Generate(string folder, int messages, int days) => Generator.Write(folder, messages, days);

/// <summary>An export in Slack's format: 20 people, every 10th message marked by a legend reaction, every 25th a
/// thread reply, every 100th an image, every 200th edited, every 1,000th pinned with a link.</summary>
internal static class Generator
{
    public const string Channel = "inc-9-bench";

    private static readonly string[] Legend = ["eyes", "boom", "bulb", "wrench", "moneybag", "key", "memo", "question", "tada", "warning"];

    public static void Write(string folder, int messages, int days)
    {
        Directory.CreateDirectory(Path.Combine(folder, Generator.Channel));
        var users = Writer(Path.Combine(folder, "users.json"));
        {
            users.WriteStartArray();
            for (var u = 0; u < 20; u++)
            {
                users.WriteStartObject();
                users.WriteString("id", $"U{u:D4}");
                users.WriteString("name", $"person{u}");
                users.WriteString("real_name", $"Person {u}");
                users.WriteString("tz", u % 2 == 0 ? "Europe/Berlin" : "America/New_York");
                users.WriteStartObject("profile");
                users.WriteString("title", $"Engineer {u}");
                users.WriteEndObject();
                users.WriteEndObject();
            }
            End(users);
        }
        File.WriteAllText(Path.Combine(folder, "channels.json"),
            $$"""[{"id":"C0BENCH","name":"{{Generator.Channel}}","creator":"U0000","purpose":{"value":"A long incident"},"topic":{"value":""},"pins":[]}]""");

        var start = new DateTimeOffset(2026, 10, 1, 0, 0, 0, TimeSpan.Zero);
        var step = TimeSpan.FromDays(days) / messages;
        Utf8JsonWriter? day = null;
        var current = "";
        string parent = "";
        for (var i = 0; i < messages; i++)
        {
            var at = start + step * i;
            var name = at.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            if (name != current)
            {
                End(day);
                day = Writer(Path.Combine(folder, Generator.Channel, name + ".json"));
                day.WriteStartArray();
                current = name;
            }
            var ts = at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) + "." + (i % 1_000_000).ToString("D6", CultureInfo.InvariantCulture);
            var w = day!;
            w.WriteStartObject();
            w.WriteString("type", "message");
            w.WriteString("user", $"U{i % 20:D4}");
            w.WriteString("ts", ts);
            w.WriteString("text", i % 1000 == 0
                ? $"Runbook <https://runbooks.example.com/{i}|step {i}> for <@U{(i + 1) % 20:D4}>"
                : $"Message {i}: the queue is at {i % 977} &amp; p99 {i % 311} ms, <@U{(i + 3) % 20:D4}> please look");
            if (i % 25 == 5 && parent.Length > 0) w.WriteString("thread_ts", parent);
            if (i % 25 == 0) parent = ts;
            if (i % 200 == 7)
            {
                w.WriteStartObject("edited");
                w.WriteString("user", $"U{i % 20:D4}");
                w.WriteString("ts", ts);
                w.WriteEndObject();
            }
            if (i % 1000 == 0)
            {
                w.WriteStartArray("pinned_to");
                w.WriteStringValue("C0BENCH");
                w.WriteEndArray();
            }
            if (i % 100 == 3)
            {
                w.WriteString("subtype", "file_share");
                w.WriteStartArray("files");
                w.WriteStartObject();
                w.WriteString("id", $"F{i}");
                w.WriteString("name", $"graph-{i}.png");
                w.WriteString("mimetype", "image/png");
                w.WriteString("permalink", $"https://bench.slack.com/files/F{i}/graph-{i}.png");
                w.WriteEndObject();
                w.WriteEndArray();
            }
            if (i % 10 == 1)
            {
                w.WriteStartArray("reactions");
                w.WriteStartObject();
                w.WriteString("name", Legend[i / 10 % Legend.Length]);
                w.WriteStartArray("users");
                w.WriteStringValue($"U{(i + 5) % 20:D4}");
                w.WriteEndArray();
                w.WriteNumber("count", 1);
                w.WriteEndObject();
                w.WriteEndArray();
            }
            w.WriteEndObject();
        }
        End(day);
    }

    private static readonly Queue<Stream> Streams = new();

    private static Utf8JsonWriter Writer(string path)
    {
        var stream = new BufferedStream(File.Create(path), 1 << 16);
        Streams.Enqueue(stream);
        return new Utf8JsonWriter(stream);
    }

    /// <summary>Closes the day's array, the writer and its file (the writer does not own its stream).</summary>
    private static void End(Utf8JsonWriter? w)
    {
        if (w is null) return;
        w.WriteEndArray();
        w.Dispose();
        Streams.Dequeue().Dispose();
    }
}
