namespace Bot.Slack.Tests;

/// <summary>The Slack sample payloads copied into Samples/ (see Samples/SOURCES.md).</summary>
internal static class Samples
{
    public static string Root { get; } = Path.Combine(AppContext.BaseDirectory, "Samples");

    public static string Path_(string relative) => Path.Combine(Root, relative);

    public static byte[] Bytes(string relative) => File.ReadAllBytes(Path_(relative));

    public static string Text(string relative) => File.ReadAllText(Path_(relative));

    /// <summary>Every .json under the folder, as paths relative to Samples/ with '/' separators.</summary>
    public static IEnumerable<string> Under(string folder) =>
        Directory.EnumerateFiles(Path_(folder), "*.json", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Root, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal);
}
