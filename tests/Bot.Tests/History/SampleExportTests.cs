using Bot.Tests.Infrastructure;
using System.Diagnostics;
using System.IO.Compression;
using static Bot.Tests.History.ExportDraftTests;

namespace Bot.Tests.History;

/// <summary>The sample export the repository ships (samples/slack-export), as the README has a newcomer try it.</summary>
public class SampleExportTests
{
    private static string Sample => Path.Combine(AppContext.BaseDirectory, "SampleExport");

    [Fact]
    public async Task SampleExport_RendersRealNamesSectionsPinsAndScreenshots()
    {
        var (exit, md, err) = await Draft("--export", Sample, "--channel", "inc-42-checkout-latency");

        Assert.Equal(0, exit);
        Assert.Equal("", err);
        Assert.Contains("# Post-mortem: Checkout is slow and payments fail", md);
        Assert.Contains("| Timezone | Europe/Berlin |", md);
        // People from users.json: real names and titles, mentions resolved.
        Assert.Contains("- Ana Lima (SRE Lead): participant", md);
        Assert.Contains("- Dev Patel (Database Engineer): participant", md);
        Assert.Contains("@Ana Lima could it be the new connection pool size?", md);
        Assert.DoesNotContain("<@U01ANA>", md);
        // Reactions fill the sections of the emoji legend.
        Assert.Matches(@"## Remediation\s+- 2026-11-26 23:50 Ben Okafor: Rolling back payments to 2026.11.26-2 & watching the pool", md);
        Assert.Matches(@"## Key points\s+- Ben Okafor at 23:50: Rolling back", md);
        Assert.Matches(@"## What went well\s+- 2026-11-27 01:05 Ben Okafor: Rollback done", md);
        Assert.Contains("| 1 | Add a CI check that fails when the pool size drops by more than half (raised by Ana Lima) | none | not set | open |", md);
        // Pins (pinned_to and channels.json pins) become war-room links.
        Assert.Contains("- [Checkout dashboard](https://grafana.example.com/d/checkout) (pinned)", md);
        Assert.Contains("- [https://docs.example.com/incidents/42](https://docs.example.com/incidents/42) (pinned)", md);
        // Images become screenshots; the PDF does not.
        Assert.Contains("- [p99 after the rollback started](https://example.slack.com/files/U01ANA/F0GRAPH1/p99-after-rollback.png), Ana Lima at 2026-11-26 23:52", md);
        Assert.DoesNotContain("pool-settings.pdf)", md);
        Assert.Contains("2026-11-28 (Saturday)", md);
    }

    [Fact]
    public async Task SampleExport_AsAZipWithItsFolderInside_GivesTheSameDocument()
    {
        var zip = Path.Combine(Directory.CreateTempSubdirectory("sample-zip-").FullName, "export.zip");
        try
        {
            ZipFile.CreateFromDirectory(Sample, zip, CompressionLevel.Fastest, includeBaseDirectory: true);
            var (_, fromFolder, _) = await Draft("--export", Sample, "--channel", "inc-42-checkout-latency");
            var (exit, fromZip, _) = await Draft("--export", zip, "--channel", "inc-42-checkout-latency");

            Assert.Equal(0, exit);
            Assert.Equal(fromFolder, fromZip);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(zip)!, recursive: true);
        }
    }

    private static async Task<(int Exit, string Stdout, string Stderr)> RunExecutable(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Bot.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        // No Slack token and no database: the command must not need them.
        foreach (var name in new[] { "SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "DATABASE_URL", "ConnectionStrings__Bot" })
            start.Environment.Remove(name);
        start.Environment["Bot__Database__Embedded"] = "false";
        return await ExitedProcess.Run(start);
    }

    [Fact]
    public async Task RealExecutable_WritesPostmortemMd_WithoutSlackOrDatabase()
    {
        var dir = Directory.CreateTempSubdirectory("draft-exe-").FullName;
        try
        {
            var (exit, stdout, stderr) = await RunExecutable("--invoked-from", dir, "draft", "--export", Sample, "--channel", "inc-42-checkout-latency", "--out", "postmortem.md");

            Assert.True(exit == 0, stderr);
            Assert.Equal("", stderr);
            Assert.StartsWith("Wrote postmortem.md: #inc-42-checkout-latency, 11 messages over 3 day(s), times in Europe/Berlin.", stdout);
            var md = await File.ReadAllTextAsync(Path.Combine(dir, "postmortem.md"));
            Assert.Contains("- Chloé Martin (Support Manager): participant", md);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task RealExecutable_ChannelNotInTheExport_OneLineExit1()
    {
        var (exit, stdout, stderr) = await RunExecutable("draft", "--export", Sample, "--channel", "inc-nope");

        Assert.Equal(1, exit);
        Assert.Equal("", stdout);
        Assert.Equal($"No channel #inc-nope in {Sample}: it has #general, #inc-42-checkout-latency.", stderr.Trim());
    }

    [Fact]
    public async Task RealExecutable_BadOption_OneLineExit2()
    {
        var (exit, _, stderr) = await RunExecutable("draft", "--export", Sample);

        Assert.Equal(2, exit);
        Assert.Contains("--channel", Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
    }
}
