using System.CommandLine;
using System.Globalization;
using System.Text.RegularExpressions;
using Bot.Postmortems.Scheduling;
using Bot.Rendering;
using Bot.Timeline;
using Spectre.Console;

namespace Bot.History;

/// <summary><c>draft --export &lt;zip|folder&gt; --channel &lt;name&gt;</c>: the post-mortem of a channel in a Slack
/// export, with the live bot's document model and templates. Runs before (and instead of) the web host: no Slack
/// token, no database. A bad option is one line and exit 2; an export it cannot read is one line and exit 1.</summary>
public static partial class DraftCommand
{
    public const string Name = "draft";

    /// <summary>Exports with at least this many day files show a progress bar (on a terminal only).</summary>
    private const int ProgressFromDays = 20;

    [GeneratedRegex(@"(Z|[+-]\d{2}:?\d{2})$", RegexOptions.IgnoreCase)]
    private static partial Regex HasOffset();

    private static readonly string[] DateOnlyFormats = ["yyyy-MM-dd"];

    /// <param name="args">The whole command line, starting with "draft".</param>
    /// <param name="baseDirectory">What relative paths are relative to; null: the current directory.</param>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, string? baseDirectory = null, CancellationToken ct = default)
    {
        var export = new Option<string>("--export") { Description = "The Slack export: its .zip or the folder it unpacks to", Required = true };
        var channel = new Option<string>("--channel") { Description = "The incident channel's name (with or without #) or id", Required = true };
        var from = new Option<string?>("--from") { Description = "Only messages from this date-time (\"2026-11-27 03:00\", local to --tz, or with an offset)" };
        var to = new Option<string?>("--to") { Description = "Only messages up to this date-time (a date alone: to the end of that day)" };
        var tz = new Option<string?>("--tz") { Description = "IANA time zone of the document's times (default: the channel creator's, else UTC)" };
        var format = new Option<string?>("--format") { Description = "md or html (default: from --out's extension, else md)" };
        format.AcceptOnlyFromAmong("md", "html");
        var output = new Option<string?>("--out") { Description = "The file to write (default: standard output)" };
        var draft = new Command(Name, "Draft a post-mortem from a Slack export, offline") { export, channel, from, to, tz, format, output };
        var root = new RootCommand("Incident bot") { draft };

        var exit = 0;
        draft.SetAction(r =>
        {
            exit = Run(new Request(r.GetValue(export)!, r.GetValue(channel)!.TrimStart('#'), r.GetValue(from), r.GetValue(to), r.GetValue(tz),
                r.GetValue(format), r.GetValue(output), baseDirectory ?? Environment.CurrentDirectory), stdout, stderr, ct);
            return exit;
        });

        var result = root.Parse(args);
        if (result.Errors.Count > 0)
        {
            await stderr.WriteLineAsync($"{result.Errors[0].Message.ReplaceLineEndings(" ")} (see: draft --help)");
            return 2;
        }
        var code = await result.InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false }, ct);
        return code;
    }

    private sealed record Request(string Export, string Channel, string? From, string? To, string? Tz, string? Format, string? Out, string BaseDirectory)
    {
        public string Path(string p) => System.IO.Path.GetFullPath(p, BaseDirectory);
    }

    private static int Run(Request request, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        try
        {
            return Draft(request, stdout, stderr, ct);
        }
        catch (UsageException e)
        {
            stderr.WriteLine(e.Message);
            return 2;
        }
        catch (ExportException e)
        {
            stderr.WriteLine(e.Message);
            return 1;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine(e.Message.ReplaceLineEndings(" "));
            return 1;
        }
    }

    private sealed class UsageException(string message) : Exception(message);

    private static int Draft(Request request, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        TimeZoneInfo? askedZone = null;
        if (request.Tz is { } tzId)
        {
            try
            {
                askedZone = TimeZoneInfo.FindSystemTimeZoneById(tzId);
            }
            catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
            {
                throw new UsageException($"--tz {tzId} is not a time zone: give an IANA id such as Europe/Berlin.");
            }
        }
        // Checked before the export is opened, so a typo is a usage error whatever the export holds.
        Moment(request.From, "--from", TimeZoneInfo.Utc, endOfDay: false);
        Moment(request.To, "--to", TimeZoneInfo.Utc, endOfDay: true);
        var html = request.Format switch
        {
            "html" => true,
            "md" => false,
            _ => request.Out is { } o && (o.EndsWith(".html", StringComparison.OrdinalIgnoreCase) || o.EndsWith(".htm", StringComparison.OrdinalIgnoreCase)),
        };

        using var reader = ExportReader.Open(request.Path(request.Export), request.Export);
        var users = reader.Users();
        var channels = reader.Channels();
        var found = channels.FirstOrDefault(c => string.Equals(c.Name, request.Channel, StringComparison.Ordinal))
                    ?? channels.FirstOrDefault(c => string.Equals(c.Id, request.Channel, StringComparison.Ordinal))
                    ?? throw new ExportException($"No channel #{request.Channel} in {request.Export}: it has " +
                                                 (channels.Count == 0 ? "no channels." : string.Join(", ", channels.Select(c => "#" + c.Name).Order(StringComparer.Ordinal).Take(20)) + (channels.Count > 20 ? ", …" : ".")));
        var zone = askedZone ?? TimeZones.Find(found.Creator is { } creator ? users.GetValueOrDefault(creator)?.Tz : null);
        var start = Moment(request.From, "--from", zone, endOfDay: false);
        var end = Moment(request.To, "--to", zone, endOfDay: true);
        if (start is not null && end is not null && start > end) throw new UsageException($"--from {request.From} is after --to {request.To}.");

        // Day files are named by UTC date: a day either side of the range covers every instant in it.
        var days = reader.Days(found, start is { } s ? DateOnly.FromDateTime(s.UtcDateTime).AddDays(-1) : null,
            end is { } en ? DateOnly.FromDateTime(en.UtcDateTime).AddDays(1) : null);
        var messages = new List<ExportMessage>();
        void ReadDay(string day)
        {
            ct.ThrowIfCancellationRequested();
            messages.AddRange(reader.Messages(found, day).Where(m => (start is null || m.At >= start) && (end is null || m.At <= end)));
        }
        if (days.Count >= ProgressFromDays && ReferenceEquals(stderr, Console.Error) && !Console.IsErrorRedirected)
            WithProgress(days, ReadDay);
        else
            foreach (var day in days) ReadDay(day);

        if (!messages.Any(ExportDocumentBuilder.IsCaptured))
            throw new ExportException($"#{found.Name} has no messages" + (start is null && end is null ? "" : " in that range") + $" in {request.Export}.");

        var document = ExportDocumentBuilder.Build(found, users, channels, messages, zone, EmojiLegend.Default);
        var renderer = new DocumentRenderer(new TemplateRenderer());
        var text = html ? renderer.Html(document) : renderer.Markdown(document);
        if (request.Out is null)
        {
            stdout.Write(text);
            return 0;
        }
        File.WriteAllText(request.Path(request.Out), text);
        stdout.WriteLine($"Wrote {request.Out}: #{found.Name}, {document.Timeline.Sum(d => d.Entries.Count)} messages over {document.Timeline.Count} day(s), times in {zone.Id}.");
        return 0;
    }

    /// <summary>A date-time with an offset as given; without one, local to <paramref name="zone"/>. A date alone is
    /// the start of that day, or its end for --to.</summary>
    private static DateTimeOffset? Moment(string? text, string option, TimeZoneInfo zone, bool endOfDay)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var t = text.Trim();
        if (HasOffset().IsMatch(t) && DateTimeOffset.TryParse(t, CultureInfo.InvariantCulture, DateTimeStyles.None, out var withOffset))
            return withOffset;
        if (DateTime.TryParseExact(t, DateOnlyFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            return endOfDay ? StartOfDay(date.AddDays(1), zone).AddTicks(-1) : StartOfDay(date, zone);
        if (!HasOffset().IsMatch(t) && DateTime.TryParse(t, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
            return TimeZones.ToInstant(local, zone) ?? throw new UsageException($"{option} {text} does not exist in {zone.Id} (the clocks skip it).");
        throw new UsageException($"{option} {text} is not a date-time: use \"2026-11-27\", \"2026-11-27 03:00\" or \"2026-11-27T03:00+01:00\".");
    }

    /// <summary>Where a local day starts: midnight, or when the clocks skip midnight (a DST change at 00:00), the first
    /// hour that exists.</summary>
    private static DateTimeOffset StartOfDay(DateTime date, TimeZoneInfo zone) =>
        TimeZones.ToInstant(date, zone) ?? TimeZones.ToInstant(date.AddHours(1), zone) ?? new DateTimeOffset(date, zone.GetUtcOffset(date));

    /// <summary>A progress bar on stderr (a terminal), so standard output stays the document when it goes there.</summary>
    private static void WithProgress(IReadOnlyList<string> days, Action<string> read)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        console.Progress().AutoClear(true).Start(progress =>
        {
            var task = progress.AddTask($"Reading {days.Count} days", maxValue: days.Count);
            foreach (var day in days)
            {
                read(day);
                task.Increment(1);
            }
        });
    }
}
