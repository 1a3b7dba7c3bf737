namespace Bot.Documents;

/// <summary>How the document words what was captured: shared by the live builder (DocumentBuilder) and the draft
/// from a Slack export (History.ExportDocumentBuilder), so both read the same.</summary>
internal static class DocumentPhrases
{
    /// <summary>The name the document uses: the profile's real name, else what Slack shows.</summary>
    public static string RealName(string? realName, string shown) => !string.IsNullOrWhiteSpace(realName) ? realName! : shown;

    /// <summary>A message marked as a key point: "Jane Doe at 03:12: rolled back the deploy".</summary>
    public static string KeyPoint(string author, string clock, string text) => $"{author} at {clock}: {text}";

    /// <summary>A screenshot's title: the first line of its message, at most 80 characters.</summary>
    public static string Caption(string text)
    {
        var line = text.Split('\n', 2)[0].Trim();
        return line.Length == 0 ? "Screenshot" : line.Length <= 80 ? line : line[..79] + "…";
    }
}
