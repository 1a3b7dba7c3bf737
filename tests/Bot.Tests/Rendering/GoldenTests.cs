using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Bot.Rendering;
using Bot.Slack;

namespace Bot.Tests.Rendering;

/// <summary>Every template on fixed documents, compared byte for byte with Golden/&lt;name&gt;.md|.html|.txt.
/// After an intended change: BOT_UPDATE_GOLDEN=1 dotnet test tests/Bot.Tests --filter "FullyQualifiedName~GoldenTests",
/// then read the diff before committing it.</summary>
public sealed class GoldenTests
{
    private static readonly DocumentRenderer Renderer = new(new TemplateRenderer());

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var (name, _) in DocumentFixtures.All)
            foreach (var format in new[] { "md", "html", "txt" })
                data.Add(name, format);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Template_MatchesGoldenFile(string fixture, string format)
    {
        var document = DocumentFixtures.All.Single(f => f.Name == fixture).Document;
        var actual = format switch
        {
            "md" => Renderer.Markdown(document),
            "html" => Renderer.Html(document),
            _ => SlackText(Renderer.Slack(document)),
        };
        var path = Path.Combine(GoldenFolder(), $"{fixture}.{format}");
        if (Environment.GetEnvironmentVariable("BOT_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(path, actual, new UTF8Encoding(false));
            return;
        }
        Assert.True(File.Exists(path), $"{path} is missing. Create it with: BOT_UPDATE_GOLDEN=1 dotnet test tests/Bot.Tests --filter \"FullyQualifiedName~GoldenTests\"");
        var expected = File.ReadAllText(path);
        if (expected == actual) return;
        var at = Enumerable.Range(0, Math.Min(expected.Length, actual.Length)).FirstOrDefault(i => expected[i] != actual[i], Math.Min(expected.Length, actual.Length));
        var line = expected.Take(at).Count(c => c == '\n') + 1;
        Assert.Fail($"{fixture}.{format} differs from {path} at line {line}:\n" +
                    $"expected: {LineAt(expected, at)}\n  actual: {LineAt(actual, at)}\n" +
                    "If the change is intended: BOT_UPDATE_GOLDEN=1 dotnet test tests/Bot.Tests --filter \"FullyQualifiedName~GoldenTests\", then review the diff.");
    }

    /// <summary>The Slack summary as its fallback text and each block's JSON, one per line.</summary>
    public static string SlackText(SlackSummary summary) =>
        summary.Text + "\n" + string.Join("\n", summary.Blocks.Select(b => JsonSerializer.Serialize<object>(b, Readable))) + "\n";

    private static readonly JsonSerializerOptions Readable = new(SlackJson.Options) { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string LineAt(string text, int index)
    {
        var start = text.LastIndexOf('\n', Math.Max(0, Math.Min(index, text.Length) - 1)) + 1;
        var end = text.IndexOf('\n', Math.Min(index, text.Length));
        return text[start..(end < 0 ? text.Length : end)];
    }

    private static string GoldenFolder([CallerFilePath] string here = "") => Path.Combine(Path.GetDirectoryName(here)!, "Golden");
}
