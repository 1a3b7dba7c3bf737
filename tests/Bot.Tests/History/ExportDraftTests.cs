using Bot.History;
using static Bot.Tests.History.TestExport;

namespace Bot.Tests.History;

/// <summary>The draft command in-process (its entry method), on exports built here in Slack's documented format.</summary>
public class ExportDraftTests
{
    internal static async Task<(int Exit, string Stdout, string Stderr)> Draft(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await DraftCommand.RunAsync(["draft", .. args], stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 22, 40, 0, TimeSpan.Zero);

    private static TestExport People() => new TestExport()
        .User("U1", "ana", "Ana Lima", "SRE Lead", "Europe/Berlin")
        .User("U2", "ben", "Ben Okafor", "Payments Engineer", "America/New_York");

    [Fact]
    public async Task Thread_RepliesAreMarkedAndTheQuestionIsAnsweredFromItsThread()
    {
        using var export = People().Channel("C1", "inc-7-db", "U1", "Database is slow");
        var parent = Ts(T0);
        export.Message("inc-7-db", T0, "U1", "Is the replica lagging?",
            Fields($$"""{"thread_ts":"{{parent}}","reply_count":1,"replies":[{"user":"U2","ts":"{{Ts(T0.AddMinutes(2))}}"}],"reactions":[{"name":"question","users":["U2"],"count":1}]}"""));
        export.Message("inc-7-db", T0.AddMinutes(2), "U2", "Yes, 40 s behind <@U1>", Fields($$"""{"thread_ts":"{{parent}}","parent_user_id":"U1"}"""));

        var (exit, md, err) = await Draft("--export", export.Folder(), "--channel", "inc-7-db", "--tz", "UTC");

        Assert.Equal(0, exit);
        Assert.Equal("", err);
        Assert.Contains("- 22:42 Ben Okafor: ↳ Yes, 40 s behind @Ana Lima", md);
        Assert.Contains("1. Is the replica lagging? (asked by Ana Lima)", md);
        Assert.Contains("**Answer:** Yes, 40 s behind @Ana Lima (Ben Okafor)", md);
        Assert.Contains("| Incident | #7 |", md);
        Assert.Contains("# Post-mortem: Database is slow", md);
    }

    [Fact]
    public async Task EditedMessage_ItsFinalTextIsMarkedEdited()
    {
        using var export = People().Channel("C1", "inc-db", "U1");
        export.Message("inc-db", T0, "U2", "Failover done", Fields($$$"""{"edited":{"user":"U2","ts":"{{{Ts(T0.AddMinutes(1))}}}"}}"""));
        export.Message("inc-db", T0.AddMinutes(3), "U2", "Not edited");

        var (exit, md, _) = await Draft("--export", export.Folder(), "--channel", "#inc-db", "--tz", "UTC");

        Assert.Equal(0, exit);
        Assert.Contains("22:40 Ben Okafor: Failover done (edited)", md);
        Assert.Contains("22:43 Ben Okafor: Not edited\n", md.ReplaceLineEndings("\n"));
        Assert.Matches(@"# Post-mortem: \\?#inc-db", md);
    }

    [Fact]
    public async Task Files_ImagesBecomeScreenshots_OtherFilesDoNot()
    {
        using var export = People().Channel("C1", "inc-db", "U1");
        export.Message("inc-db", T0, "U1", "Replication lag graph", Fields("""
            {"subtype":"file_share","files":[
              {"id":"F1","name":"lag.png","title":"lag","mimetype":"image/png","permalink":"https://x.slack.com/files/U1/F1/lag.png","url_private":"https://files.slack.com/F1"},
              {"id":"F2","name":"notes.txt","title":"notes","mimetype":"text/plain","permalink":"https://x.slack.com/files/U1/F2/notes.txt"}]}
            """));
        export.Message("inc-db", T0.AddMinutes(1), "U2", "", Fields("""{"subtype":"file_share","files":[{"id":"F3","name":"top.jpg","title":"top output","mimetype":"image/jpeg","url_private":"https://files.slack.com/F3"}]}"""));

        var (exit, md, _) = await Draft("--export", export.Folder(), "--channel", "inc-db", "--tz", "UTC");

        Assert.Equal(0, exit);
        Assert.Contains("- [Replication lag graph](https://x.slack.com/files/U1/F1/lag.png), Ana Lima at 2026-11-26 22:40", md);
        Assert.Contains("- [top output](https://files.slack.com/F3), Ben Okafor at 2026-11-26 22:41", md);
        Assert.DoesNotContain("notes.txt)", md);
        Assert.Contains("22:41 Ben Okafor: shared top output", md);
    }

    [Fact]
    public async Task MultiDay_TimelineByLocalDayWithWeekday_AndFromToKeepOnlyTheRange()
    {
        using var export = People().Channel("C1", "inc-db", "U1");
        export.Message("inc-db", T0, "U1", "day one");                       // 23:40 Thursday in Berlin
        export.Message("inc-db", T0.AddHours(1.5), "U1", "day two");         // 01:10 Friday
        export.Message("inc-db", T0.AddDays(2), "U2", "day four");           // Saturday 28th
        var folder = export.Folder();

        var (exit, md, _) = await Draft("--export", folder, "--channel", "inc-db");

        Assert.Equal(0, exit);
        Assert.Contains("Timezone | Europe/Berlin", md);
        Assert.Contains("2026-11-26 (Thursday)", md);
        Assert.Contains("2026-11-27 (Friday)", md);
        Assert.Contains("2026-11-28 (Saturday)", md);
        Assert.Contains("| Duration | 2 d 0 h |", md);

        var (exit2, ranged, _) = await Draft("--export", folder, "--channel", "inc-db", "--from", "2026-11-27 00:00", "--to", "2026-11-27");

        Assert.Equal(0, exit2);
        Assert.Contains("01:10 Ana Lima: day two", ranged);
        Assert.DoesNotContain("day one", ranged);
        Assert.DoesNotContain("day four", ranged);
    }

    [Fact]
    public async Task DaylightSavingChange_TheDaySaysSoAndEachTimeShowsItsOffset()
    {
        // Europe/Berlin goes back from +02:00 to +01:00 at 01:00 UTC on 2026-10-25: 02:30 local happens twice.
        using var export = People().Channel("C1", "inc-dst", "U1");
        var before = new DateTimeOffset(2026, 10, 25, 0, 30, 0, TimeSpan.Zero);
        export.Message("inc-dst", before, "U1", "first 02:30");
        export.Message("inc-dst", before.AddHours(1), "U2", "second 02:30");

        var (exit, md, _) = await Draft("--export", export.Folder(), "--channel", "inc-dst", "--tz", "Europe/Berlin");

        Assert.Equal(0, exit);
        Assert.Contains("2026-10-25 (Sunday)", md);
        Assert.Contains("The clocks changed this day (UTC+02:00 → UTC+01:00)", md);
        Assert.Contains("- 02:30 (+02:00) Ana Lima: first 02:30", md);
        Assert.Contains("- 02:30 (+01:00) Ben Okafor: second 02:30", md);
        Assert.Contains("| Duration | 1 h 0 min |", md);
    }

    [Fact]
    public async Task Zip_GivesTheSameDocumentAsTheFolder()
    {
        using var export = People().Channel("C1", "inc-db", "U1", pins: []);
        export.Message("inc-db", T0, "U1", "Runbook: <https://runbooks.example.com/db|DB runbook>", Fields("""{"pinned_to":["C1"]}"""));
        export.Message("inc-db", T0.AddMinutes(5), "U2", "Looking", Reactions(("eyes", ["U1"])));

        var (_, fromFolder, _) = await Draft("--export", export.Folder(), "--channel", "inc-db");
        var (exit, fromZip, err) = await Draft("--export", export.Zip(), "--channel", "inc-db");

        Assert.Equal(0, exit);
        Assert.Equal("", err);
        Assert.Equal(fromFolder, fromZip);
        Assert.Contains("- [DB runbook](https://runbooks.example.com/db) (pinned)", fromZip);
    }

    [Fact]
    public async Task PrivateChannel_IsFoundInGroupsJson_AndChannelsJsonPinsCount()
    {
        // The pin is only in groups.json's "pins" (no pinned_to on the message).
        using var export = People().Channel("C1", "general").Channel("G1", "inc-secret", "U2", "Secret rotation", pins: [Ts(T0)], isPrivate: true);
        export.Message("inc-secret", T0, "U2", "Rotation plan <https://docs.example.com/rotate>");
        export.Message("inc-secret", T0.AddMinutes(1), "U2", "Rotated", Reactions(("wrench", ["U1"]), ("white_check_mark", ["U1"])));

        var (exit, md, _) = await Draft("--export", export.Folder(), "--channel", "inc-secret", "--format", "html");

        Assert.Equal(0, exit);
        Assert.StartsWith("<!DOCTYPE html>", md.TrimStart(), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("America/New_York", md);
        Assert.Contains("https://docs.example.com/rotate", md);
        Assert.Contains("Rotated", md);
        Assert.Contains("(pinned)", md);
    }

    [Fact]
    public async Task JoinsAndTopicChanges_AreNotInTheTimeline_LikeTheLiveCapture()
    {
        using var export = People().Channel("C1", "inc-db", "U1");
        export.Message("inc-db", T0, "U1", "<@U1> has joined the channel", Fields("""{"subtype":"channel_join"}"""));
        export.Message("inc-db", T0.AddMinutes(1), "U1", "set the channel topic: db", Fields("""{"subtype":"channel_topic"}"""));
        export.Message("inc-db", T0.AddMinutes(2), "U2", "real message");

        var (exit, md, _) = await Draft("--export", export.Folder(), "--channel", "inc-db", "--tz", "UTC");

        Assert.Equal(0, exit);
        Assert.DoesNotContain("has joined", md);
        Assert.DoesNotContain("channel topic", md);
        Assert.Contains("| Opened | 2026-11-26 22:42 |", md);
        Assert.Contains("- Ben Okafor (Payments Engineer): participant", md);
        Assert.DoesNotContain("- Ana Lima (SRE Lead)", md);
    }

    [Fact]
    public async Task ManyDays_ReadsThemAll_WithNothingOnStderrWhenNotATerminal()
    {
        using var export = People().Channel("C1", "inc-long", "U1");
        for (var d = 0; d < 40; d++) export.Message("inc-long", T0.AddDays(d), d % 2 == 0 ? "U1" : "U2", $"update {d}");
        var outFile = Path.Combine(export.Root, "out", "pm.md");
        Directory.CreateDirectory(Path.GetDirectoryName(outFile)!);

        var (exit, stdout, stderr) = await Draft("--export", export.Folder(), "--channel", "inc-long", "--out", outFile);

        Assert.Equal(0, exit);
        Assert.Equal("", stderr);
        Assert.StartsWith($"Wrote {outFile}: #inc-long, 40 messages over 40 day(s)", stdout);
        var md = await File.ReadAllTextAsync(outFile);
        Assert.Contains("update 0", md);
        Assert.Contains("update 39", md);
    }

    [Fact]
    public async Task RelativePaths_AreRelativeToWhereTheCommandWasTyped()
    {
        using var export = People().Channel("C1", "inc-db", "U1");
        export.Message("inc-db", T0, "U1", "hello");
        var root = Path.GetDirectoryName(export.Folder())!;
        var name = Path.GetFileName(export.Root);
        var stdout = new StringWriter();

        var exit = await DraftCommand.RunAsync(["draft", "--export", name, "--channel", "inc-db", "--out", Path.Combine(name, "pm.html")], stdout, new StringWriter(), root);

        Assert.Equal(0, exit);
        Assert.Contains("<html", await File.ReadAllTextAsync(Path.Combine(export.Root, "pm.html")));
    }

    [Fact]
    public async Task Help_PrintsTheOptions_Exit0()
    {
        var (exit, stdout, stderr) = await Draft("--help");

        Assert.Equal(0, exit);
        Assert.Equal("", stderr);
        foreach (var option in new[] { "--export", "--channel", "--from", "--to", "--tz", "--format", "--out" })
            Assert.Contains(option, stdout);
    }

    [Fact]
    public async Task Channel_CanBeGivenByItsId()
    {
        using var export = People().Channel("C1", "inc-db", "U1", "Database is slow").Channel("C2", "other", "U1", "Other");
        export.Message("inc-db", T0, "U1", "hello");
        export.Message("other", T0, "U1", "elsewhere");

        var (exit, md, _) = await Draft("--export", export.Folder(), "--channel", "C1");

        Assert.Equal(0, exit);
        Assert.Contains("# Post-mortem: Database is slow", md);
        Assert.DoesNotContain("elsewhere", md);
    }
}
