using static Bot.Tests.History.ExportDraftTests;

namespace Bot.Tests.History;

/// <summary>Every way the draft command can be given something it cannot use: one line on stderr, exit 2 for the
/// command line, 1 for the export, and never a stack trace or a document on stdout.</summary>
public class DraftErrorTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 22, 40, 0, TimeSpan.Zero);

    private static TestExport Good()
    {
        var export = new TestExport().User("U1", "ana", "Ana Lima", "SRE Lead", "Europe/Berlin").Channel("C1", "inc-db", "U1").Channel("C2", "general", "U1");
        export.Message("inc-db", T0, "U1", "hello");
        return export;
    }

    private static string OneLine(int expectedExit, (int Exit, string Stdout, string Stderr) result)
    {
        Assert.Equal(expectedExit, result.Exit);
        Assert.Equal("", result.Stdout);
        Assert.DoesNotContain("   at ", result.Stderr);
        return Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    [Fact]
    public async Task MissingExport_Exit1()
    {
        var line = OneLine(1, await Draft("--export", "/nonexistent/export.zip", "--channel", "inc-db"));
        Assert.Equal("No Slack export at /nonexistent/export.zip: give the export's .zip or the folder it unpacks to.", line);
    }

    [Fact]
    public async Task NotAZip_Exit1()
    {
        using var export = Good();
        var file = Path.Combine(export.Folder(), "export.zip");
        await File.WriteAllTextAsync(file, "not a zip");
        Assert.StartsWith($"{file} is not a zip file", OneLine(1, await Draft("--export", file, "--channel", "inc-db")));
    }

    [Fact]
    public async Task FolderWithoutUsersJson_Exit1()
    {
        using var export = Good();
        var folder = export.Folder();
        File.Delete(Path.Combine(folder, "users.json"));
        Assert.Equal($"{folder} has no users.json: it is not a Slack workspace export.", OneLine(1, await Draft("--export", folder, "--channel", "inc-db")));
    }

    [Fact]
    public async Task ChannelNotInTheExport_Exit1_NamesTheChannelsThereAre()
    {
        using var export = Good();
        var folder = export.Folder();
        Assert.Equal($"No channel #inc-nope in {folder}: it has #general, #inc-db.", OneLine(1, await Draft("--export", folder, "--channel", "inc-nope")));
    }

    [Fact]
    public async Task MalformedDayFile_Exit1_NamesTheFile()
    {
        using var export = Good().Raw("inc-db/2026-11-27.json", "[{\"type\":\"message\",\"ts\":");
        var folder = export.Folder();
        Assert.StartsWith($"inc-db/2026-11-27.json in {folder} is not valid JSON:", OneLine(1, await Draft("--export", folder, "--channel", "inc-db")));
    }

    [Fact]
    public async Task DayFileThatIsNotAnArray_Exit1()
    {
        using var export = Good().Raw("inc-db/2026-11-27.json", "{\"messages\":[]}");
        var folder = export.Folder();
        Assert.Equal($"inc-db/2026-11-27.json in {folder} is not a JSON array, as Slack writes it.",
            OneLine(1, await Draft("--export", folder, "--channel", "inc-db")));
    }

    [Fact]
    public async Task MessageWithoutTs_Exit1()
    {
        using var export = Good().Raw("inc-db/2026-11-27.json", "[{\"type\":\"message\",\"text\":\"no ts\"}]");
        var folder = export.Folder();
        Assert.Equal($"inc-db/2026-11-27.json in {folder} has a message without a valid ts.", OneLine(1, await Draft("--export", folder, "--channel", "inc-db")));
    }

    [Fact]
    public async Task NoMessagesInTheRange_Exit1()
    {
        using var export = Good();
        var folder = export.Folder();
        Assert.Equal($"#inc-db has no messages in that range in {folder}.",
            OneLine(1, await Draft("--export", folder, "--channel", "inc-db", "--from", "2027-01-01")));
    }

    [Fact]
    public async Task MissingChannelOption_Exit2()
    {
        using var export = Good();
        Assert.Contains("--channel", OneLine(2, await Draft("--export", export.Folder())));
    }

    [Fact]
    public async Task UnknownFormat_Exit2()
    {
        using var export = Good();
        Assert.Contains("pdf", OneLine(2, await Draft("--export", export.Folder(), "--channel", "inc-db", "--format", "pdf")));
    }

    [Fact]
    public async Task UnknownOption_Exit2()
    {
        using var export = Good();
        Assert.Contains("--since", OneLine(2, await Draft("--export", export.Folder(), "--channel", "inc-db", "--since", "x")));
    }

    [Fact]
    public async Task UnknownTimeZone_Exit2()
    {
        using var export = Good();
        Assert.Equal("--tz Mars/Olympus is not a time zone: give an IANA id such as Europe/Berlin.",
            OneLine(2, await Draft("--export", export.Folder(), "--channel", "inc-db", "--tz", "Mars/Olympus")));
    }

    [Fact]
    public async Task BadDate_Exit2_EvenWithAMissingExport()
    {
        Assert.StartsWith("--from yesterday is not a date-time",
            OneLine(2, await Draft("--export", "/nonexistent", "--channel", "inc-db", "--from", "yesterday")));
    }

    [Fact]
    public async Task FromAfterTo_Exit2()
    {
        using var export = Good();
        Assert.Equal("--from 2026-11-28 is after --to 2026-11-27.",
            OneLine(2, await Draft("--export", export.Folder(), "--channel", "inc-db", "--from", "2026-11-28", "--to", "2026-11-27")));
    }

    [Fact]
    public async Task OutInAFolderThatDoesNotExist_Exit1()
    {
        using var export = Good();
        var line = OneLine(1, await Draft("--export", export.Folder(), "--channel", "inc-db", "--out", "/nonexistent/dir/pm.md"));
        Assert.Contains("/nonexistent/dir/pm.md", line);
    }

    [Fact]
    public async Task MalformedDayFileInAZip_Exit1_NamesTheFile()
    {
        using var export = Good().Raw("inc-db/2026-11-27.json", "[{]");
        var zip = export.Zip();
        Assert.StartsWith($"inc-db/2026-11-27.json in {zip} is not valid JSON:", OneLine(1, await Draft("--export", zip, "--channel", "inc-db")));
    }

    [Fact]
    public async Task MalformedUsersJson_Exit1()
    {
        using var export = Good();
        var folder = export.Folder();
        await File.WriteAllTextAsync(Path.Combine(folder, "users.json"), "{\"ok\":true}");
        Assert.Equal($"users.json in {folder} is not a JSON array, as Slack writes it.", OneLine(1, await Draft("--export", folder, "--channel", "inc-db")));
    }
}
