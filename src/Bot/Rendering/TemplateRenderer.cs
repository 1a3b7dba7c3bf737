using Bot.Hosting;
using Scriban;
using Scriban.Parsing;
using Scriban.Runtime;
using Scriban.Syntax;

namespace Bot.Rendering;

/// <summary>How much one render may loop and write, sized to the model by the caller (DocumentRenderer).</summary>
public sealed record RenderLimits(int LoopLimit, int OutputLimit);

/// <summary>The Scriban templates: embedded under Rendering/Templates/*.sbn, each replaceable by a file of the same
/// name in <c>Bot:Rendering:TemplatesPath</c>. All are parsed once, here; a template that does not parse is a
/// StartupException naming the file, the line and Scriban's message. Every render gets a fresh TemplateContext
/// (strict variables, loop and output limits from the caller); the model is an explicit record and user text in it
/// is data, never parsed as a template.</summary>
public sealed class TemplateRenderer
{
    public const string TemplatesPathKey = "Bot:Rendering:TemplatesPath";
    private const string Prefix = "Bot.Rendering.Templates.";

    // The escaping functions, built once (reflection) and shared read-only by every render.
    private static readonly ScriptObject Functions = CreateFunctions();

    private readonly Dictionary<string, Template> _templates = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _sources = new(StringComparer.Ordinal);

    /// <summary>The embedded templates only.</summary>
    public TemplateRenderer() : this(null)
    {
    }

    /// <param name="overridesPath">A folder whose *.sbn files replace the embedded templates of the same name; null: none.</param>
    public TemplateRenderer(string? overridesPath)
    {
        var assembly = typeof(TemplateRenderer).Assembly;
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!);
            var file = resource[Prefix.Length..];
            Add(file[..^".sbn".Length], reader.ReadToEnd(), $"embedded {file}");
        }
        if (string.IsNullOrWhiteSpace(overridesPath)) return;

        var folder = Path.GetFullPath(overridesPath);
        if (!Directory.Exists(folder))
            throw new StartupException($"{TemplatesPathKey} is {overridesPath}, which is not a folder.");
        var known = _templates.Keys.ToList();
        foreach (var path in Directory.EnumerateFiles(folder, "*.sbn").Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileNameWithoutExtension(path);
            if (!known.Contains(name))
                throw new StartupException($"{TemplatesPathKey}: {path} does not replace a template; the names are " +
                                           string.Join(", ", known.Order(StringComparer.Ordinal).Select(n => n + ".sbn")) + ".");
            Add(name, File.ReadAllText(path), path);
        }
    }

    public IReadOnlyCollection<string> Names => _templates.Keys;

    /// <summary>Where template <paramref name="name"/> came from: "embedded postmortem.md.sbn" or the override's path.</summary>
    public string Source(string name) => _sources[name];

    private void Add(string name, string text, string source)
    {
        var template = Template.Parse(text, source);
        if (template.HasErrors)
        {
            var first = template.Messages.First(m => m.Type == ParserMessageType.Error);
            throw new StartupException($"Template {source} does not parse: line {first.Span.Start.Line + 1}, column {first.Span.Start.Column + 1}: {OneLine(first.Message)}");
        }
        _templates[name] = template;
        _sources[name] = source;
    }

    /// <summary>Renders template <paramref name="name"/> (e.g. "postmortem.md") with the model's properties as
    /// snake_case globals. Going over a limit throws (never a silently cut document).</summary>
    public string Render(string name, object model, RenderLimits limits)
    {
        if (!_templates.TryGetValue(name, out var template))
            throw new ArgumentException($"No template named {name}", nameof(name));
        var globals = new ScriptObject();
        globals.Import(model, renamer: StandardMemberRenamer.Default);
        var context = new TemplateContext
        {
            StrictVariables = true,
            LoopLimit = limits.LoopLimit,
            LoopLimitQueryable = limits.LoopLimit,
            RecursiveLimit = 20,
            LimitToString = limits.OutputLimit,
            OutputLimit = limits.OutputLimit,
            OnOutputLimit = ScriptLimitBehavior.Throw,
            OnStringLimit = ScriptLimitBehavior.Throw,
            MemberRenamer = StandardMemberRenamer.Default,
            EnableRelaxedMemberAccess = false,
        };
        context.PushGlobal(Functions);
        context.PushGlobal(globals);
        return template.Render(context);
    }

    /// <summary>A render error as one line: the template's source, line and Scriban's message.</summary>
    public static string Describe(ScriptRuntimeException e) =>
        $"{e.Span.FileName}, line {e.Span.Start.Line + 1}, column {e.Span.Start.Column + 1}: {OneLine(e.OriginalMessage)}";

    private static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();

    private static ScriptObject CreateFunctions()
    {
        var functions = new ScriptObject();
        functions.Import(typeof(TemplateFunctions), renamer: StandardMemberRenamer.Default);
        functions.IsReadOnly = true;
        return functions;
    }
}
