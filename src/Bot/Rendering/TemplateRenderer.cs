using System.Collections.Concurrent;
using Scriban;
using Scriban.Runtime;

namespace Bot.Rendering;

/// <summary>Scriban templates embedded under Rendering/Templates/*.sbn, parsed once at startup (a template
/// with errors stops the app). Every render gets a fresh TemplateContext with strict variables and limits;
/// the model is an explicit record and user text in it is data, never parsed as a template.</summary>
public sealed class TemplateRenderer
{
    private const string Prefix = "Bot.Rendering.Templates.";
    private readonly ConcurrentDictionary<string, Template> _templates = new();

    public TemplateRenderer()
    {
        var assembly = typeof(TemplateRenderer).Assembly;
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!);
            var name = resource[Prefix.Length..^".sbn".Length];
            var template = Template.Parse(reader.ReadToEnd(), resource);
            if (template.HasErrors)
                throw new InvalidOperationException($"Template {name} has errors: {string.Join("; ", template.Messages)}");
            _templates[name] = template;
        }
    }

    public IReadOnlyCollection<string> Names => _templates.Keys.ToList();

    /// <summary>Renders template <paramref name="name"/> (e.g. "postmortem.md") with the model's properties as
    /// snake_case globals.</summary>
    public string Render(string name, object model, int loopLimit = 5000)
    {
        if (!_templates.TryGetValue(name, out var template))
            throw new ArgumentException($"No template named {name}", nameof(name));
        var globals = new ScriptObject();
        globals.Import(model, renamer: StandardMemberRenamer.Default);
        globals.Import(typeof(TemplateFunctions), renamer: StandardMemberRenamer.Default);
        var context = new TemplateContext
        {
            StrictVariables = true,
            LoopLimit = loopLimit,
            RecursiveLimit = 20,
            LimitToString = 0,
            MemberRenamer = StandardMemberRenamer.Default,
            EnableRelaxedMemberAccess = false,
        };
        context.PushGlobal(globals);
        return template.Render(context);
    }
}
