using System.Buffers.Binary;
using Bot.Incidents;
using Bot.Stats;
using Bot.Tests.EndToEnd;
using Bot.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using SkiaSharp;

namespace Bot.Tests.Stats;

/// <summary>/incident stats on a workspace of its own with incidents, meetings, publications and action items at
/// known times, so every figure is known exactly.</summary>
public sealed class StatsTests(IncidentWorld world) : IClassFixture<IncidentWorld>
{
    private const string Team = "T0STATS";
    private static readonly DateTimeOffset Until = new(2026, 6, 30, 12, 0, 0, TimeSpan.Zero);
    private const long Hour = 3600;
    private const long Day = 24 * Hour;

    private static readonly SemaphoreSlim SeedOnce = new(1, 1);
    private static bool _seeded;

    private static DateTime At(int month, int day, int hour = 0, int minute = 0) => new(2026, month, day, hour, minute, 0, DateTimeKind.Utc);

    /// <summary>Five incidents resolved in the 90 days before <see cref="Until"/>, and four that must not count.</summary>
    private async Task Seed(string team = Team)
    {
        await SeedOnce.WaitAsync();
        try
        {
            if (_seeded && team == Team) return;
            await using var c = await world.Db();
            var number = 0;
            async Task<long> Incident(string? severity, DateTime created, DateTime? resolved, string status = "resolved") =>
                await c.ExecuteScalarAsync<long>("""
                    insert into incidents (team_id, number, title, severity, status, commander_id, reporter_id, channel_name, created_at, resolved_at)
                    values (@team, @number, 'seeded', @severity, @status, 'U0ADA', 'U0ADA', 'inc-seeded-' || @number, @created, @resolved) returning id
                    """, new { team, number = ++number, severity, status, created, resolved });
            async Task Meeting(long incident, DateTime starts, bool cancelled = false) =>
                await c.ExecuteAsync("""
                    insert into postmortem_meetings (incident_id, uid, version, starts_at, duration_minutes, cancelled_at, updated_at)
                    values (@incident, gen_random_uuid()::text, 1, @starts, 30, @cancelledAt, @starts)
                    """, new { incident, starts, cancelledAt = cancelled ? starts : (DateTime?)null });
            async Task Published(long incident, DateTime at) =>
                await c.ExecuteAsync("insert into postmortem_publications (incident_id, published_at, published_by, forced) values (@incident, @at, 'U0ADA', false)",
                    new { incident, at });
            async Task Item(long incident, string status, DateTime? due, DateTime? settled = null) =>
                await c.ExecuteAsync("""
                    insert into action_items (incident_id, text, status, due_at, settled_at, created_at, updated_at)
                    values (@incident, 'seeded item', @status, @due, @settled, @created, @created)
                    """, new { incident, status, due, settled, created = At(4, 1) });

            // A sev1: 1 h to resolve, meeting 2 days later, published; one item done on time, one late.
            var a = await Incident("sev1", At(5, 10, 10), At(5, 10, 11));
            await Meeting(a, At(5, 12, 11));
            await Published(a, At(5, 13));
            await Item(a, "done", At(5, 15), At(5, 14));
            await Item(a, "done", At(5, 15), At(5, 16));
            // B sev1: 3 h, meeting 4 days later; an item open past its due date, one dropped (not counted).
            var b = await Incident("sev1", At(5, 20), At(5, 20, 3));
            await Meeting(b, At(5, 24, 3));
            await Item(b, "open", At(6, 1));
            await Item(b, "dropped", At(6, 1));
            // C sev2: 5 h, no meeting, published; an item not due yet and one without a due date (neither counted).
            var cc = await Incident("sev2", At(6, 5), At(6, 5, 5));
            await Published(cc, At(6, 8));
            await Item(cc, "open", At(7, 10));
            await Item(cc, "done", null, At(6, 6));
            // D sev2: 10 h, its meeting cancelled (no meeting).
            var d = await Incident("sev2", At(6, 10), At(6, 10, 10));
            await Meeting(d, At(6, 12), cancelled: true);
            // E without a severity: 30 min, meeting a day later, published; an item done on time.
            var e = await Incident(null, At(6, 20), At(6, 20, 0, 30));
            await Meeting(e, At(6, 21, 0, 30));
            await Published(e, At(6, 22));
            await Item(e, "done", At(6, 25), At(6, 24));
            // Not counted: resolved before the window, cancelled, still open.
            var old = await Incident("sev1", At(3, 1), At(3, 1, 1));
            await Published(old, At(3, 2));
            await Incident("sev1", At(6, 2), At(6, 2, 1), status: "cancelled");
            await Incident("sev1", At(6, 3), null, status: "investigating");
            _seeded = true;
        }
        finally
        {
            SeedOnce.Release();
        }
    }

    private async Task<StatsReport> Report(int days = 90)
    {
        using var scope = world.App.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<IncidentStats>().For(Team, days, Until, CancellationToken.None);
    }

    [Fact]
    public async Task Figures_OnFixedData_AreExact()
    {
        await Seed();
        var all = (await Report()).All;

        Assert.Equal(5, all.Incidents);
        // 0.5, 1, 3, 5, 10 hours: the middle one, and the 90th percentile 5 + 0.6 × (10 − 5).
        Assert.Equal(3 * Hour, all.ResolveMedianSeconds);
        Assert.Equal(8 * Hour, all.ResolveP90Seconds);
        // Meetings 2, 4 and 1 days after resolving (D's was cancelled, C has none).
        Assert.Equal(3, all.WithMeeting);
        Assert.Equal(2 * Day, all.MeetingMedianSeconds);
        Assert.Equal(3, all.Published);
        Assert.Equal(0.6, all.PublishedShare, 10);
        // Known outcomes: A's two, B's overdue one, E's one; on time: one of A's and E's.
        Assert.Equal(4, all.ItemsDue);
        Assert.Equal(2, all.ItemsOnTime);
        Assert.Equal(0.5, all.OnTimeShare);
    }

    [Fact]
    public async Task Figures_BySeverityAndMonth_AreExact()
    {
        await Seed();
        var report = await Report();

        var severities = report.BySeverity.ToList();
        Assert.Equal(["sev1", "sev2", "none"], severities.Select(r => r.Key));
        var sev1 = severities[0];
        Assert.Equal((2, 2 * Hour, 2.8 * Hour, 3 * Day, 1, 3, 1), (sev1.Incidents, sev1.ResolveMedianSeconds, sev1.ResolveP90Seconds!.Value, sev1.MeetingMedianSeconds, sev1.Published, sev1.ItemsDue, sev1.ItemsOnTime));
        var sev2 = severities[1];
        Assert.Equal((2L, 7.5 * Hour, (double?)null, 1L, (double?)null), (sev2.Incidents, sev2.ResolveMedianSeconds, sev2.MeetingMedianSeconds, sev2.Published, sev2.OnTimeShare));
        Assert.Equal(0.5 * Hour, severities[2].ResolveMedianSeconds);

        var months = report.ByMonth.ToList();
        Assert.Equal(["2026-05", "2026-06"], months.Select(r => r.Key));
        Assert.Equal((2L, 2 * Hour), (months[0].Incidents, months[0].ResolveMedianSeconds));
        Assert.Equal((3L, 5 * Hour), (months[1].Incidents, months[1].ResolveMedianSeconds));
        Assert.Equal([("2026-05", "sev1", 2L), ("2026-06", "none", 1L), ("2026-06", "sev2", 2L)], report.MonthSeverity);
    }

    [Fact]
    public async Task AShorterWindow_CountsOnlyWhatWasResolvedInIt()
    {
        await Seed();
        var all = (await Report(days: 30)).All;
        // Since 31 May 12:00: C, D and E.
        Assert.Equal(3, all.Incidents);
        Assert.Equal(5 * Hour, all.ResolveMedianSeconds);
    }

    [Fact]
    public void Message_ShowsTheFiguresAsATable()
    {
        var report = new StatsReport(90, Until.AddDays(-90), Until,
        [
            new StatsRow { Dimension = "all", Incidents = 5, ResolveMedianSeconds = 3 * Hour, ResolveP90Seconds = 8 * Hour, WithMeeting = 3, MeetingMedianSeconds = 2 * Day, Published = 3, ItemsDue = 4, ItemsOnTime = 2 },
            new StatsRow { Dimension = "severity", Key = "sev1", Incidents = 2, ResolveMedianSeconds = 2 * Hour, ResolveP90Seconds = 2.8 * Hour, Published = 1, ItemsDue = 3, ItemsOnTime = 1 },
            new StatsRow { Dimension = "month", Key = "2026-05", Incidents = 2, ResolveMedianSeconds = 1800 },
        ], []);
        var text = string.Join("\n", StatsMessage.Blocks(report, chartComing: true).Select(b => System.Text.Json.JsonSerializer.Serialize(b, Bot.Slack.SlackJson.Options)));
        Assert.Contains("median *3h 00m*, 90th percentile *8h 00m*", text);
        Assert.Contains("median *2d 00h* (3 of 5 have a meeting)", text);
        Assert.Contains("Post-mortems published: *3* (60%)", text);
        Assert.Contains("*50%* (2 of 4)", text);
        Assert.Contains("sev1", text);
        Assert.Contains("1/3 (33%)", text);
        Assert.Contains("30m", text);
        Assert.Contains("chart is on its way", text);
    }

    [Theory]
    [InlineData("stats", 90)]
    [InlineData("stats 30", 30)]
    [InlineData("STATS 7d", 7)]
    [InlineData("stats 1", 1)]
    [InlineData("stats 730", 730)]
    public void Parse_Stats_TakesDays(string text, int days) =>
        Assert.Equal(days, Assert.IsType<ParsedCommand.Stats>(IncidentCommandParser.Parse(text)).Days);

    [Theory]
    [InlineData("stats 0")]
    [InlineData("stats 731")]
    [InlineData("stats -5")]
    [InlineData("stats 1.5")]
    [InlineData("stats lots")]
    [InlineData("stats 30 60")]
    [InlineData("stats 99999999999999")]
    public void Parse_Stats_BadDays_GiveTheUsage(string text) =>
        Assert.Contains(Usage.Stats, Assert.IsType<ParsedCommand.Invalid>(IncidentCommandParser.Parse(text)).Message);

    [Fact]
    public async Task StatsCommand_BadDays_AnswersEphemeralUsage_AndUploadsNothing()
    {
        var before = world.Slack.CallsTo("files.getUploadURLExternal").Count;
        var reply = await world.Command("stats forever", IncidentWorld.Cat, world.General.Id, Team);
        Assert.Equal(200, reply.Status);
        Assert.Equal("ephemeral", reply.ResponseType);
        Assert.Contains(Usage.Stats, reply.Text);
        Assert.Equal(before, world.Slack.CallsTo("files.getUploadURLExternal").Count);
    }

    [Fact]
    public async Task StatsCommand_AnswersWithTheFigures_AndUploadsOnePngChartToTheCallersDm()
    {
        // The command counts back from now: a workspace of its own whose incidents were resolved in the last days.
        const string team = "T0STATSNOW";
        await using (var c = await world.Db())
        {
            var now = DateTime.UtcNow;
            for (var i = 1; i <= 3; i++)
                await c.ExecuteAsync("""
                    insert into incidents (team_id, number, title, severity, status, commander_id, reporter_id, channel_name, created_at, resolved_at)
                    values (@team, @i, 'recent', 'sev2', 'resolved', 'U0ADA', 'U0ADA', 'inc-recent-' || @i, @created, @resolved)
                    """, new { team, i, created = now.AddDays(-i).AddHours(-i), resolved = now.AddDays(-i) });
        }

        var reply = await world.Command("stats 30", IncidentWorld.Bob, world.General.Id, team);

        Assert.Equal("ephemeral", reply.ResponseType);
        var body = reply.Body!.ToJsonString();
        Assert.Contains("*3* incidents resolved", body);
        Assert.Contains("median *2h 00m*", body);
        var complete = await world.Slack.WaitForCall("files.completeUploadExternal", c => c.Ok && c.Arg("channel_id") is not null, TimeSpan.FromSeconds(30));
        var dm = world.Slack.Channels.Single(ch => ch.IsIm && ch.ImUser == IncidentWorld.Bob);
        Assert.Equal(dm.Id, complete.Arg("channel_id"));
        var fileId = complete.JsonArg("files")!.AsArray().Single()!["id"]!.ToString();
        var png = world.Slack.File(fileId)!.Content!;

        // A PNG: its signature, an IHDR of the chart's size, and a full decode.
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(png, 12, 4));
        Assert.Equal(StatsChart.Width, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16, 4)));
        Assert.Equal(StatsChart.Height, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20, 4)));
        using var bitmap = SKBitmap.Decode(png);
        Assert.NotNull(bitmap);
        Assert.Equal((StatsChart.Width, StatsChart.Height), (bitmap.Width, bitmap.Height));
        // Not a blank canvas: the bars are drawn in the severity's colour.
        Assert.True(bitmap.Pixels.Count(p => p == new SKColor(0xE6, 0x7E, 0x22)) > 500);

        // Once per request: the job ran once, and a second run of it uploads nothing. The job records the file just
        // after Slack's answer to the upload, so wait for that before the second run (else the run meets the first
        // one's claim, which is the claim's test, not this one's).
        var request = await world.Scalar<Guid>("select id from stats_requests where team_id = @team", new { team });
        var recorded = await Poll.Until(() => world.Scalar<string?>("select file_id from stats_requests where id = @request", new { request }),
            id => id is not null, TimeSpan.FromSeconds(20), "the job records the uploaded file");
        Assert.Equal(fileId, recorded);
        using (var scope = world.App.Services.CreateScope())
            await scope.ServiceProvider.GetRequiredService<StatsChartJob>().Run(request, CancellationToken.None);
        Assert.Single(world.Slack.CallsTo("files.completeUploadExternal"), c => c.Ok && c.Arg("channel_id") == dm.Id);
    }

    [Fact]
    public async Task StatsCommand_NothingResolved_SaysSo_AndDrawsNoChart()
    {
        var reply = await world.Command("stats", IncidentWorld.Cat, world.General.Id, "T0STATSEMPTY");
        Assert.Equal("ephemeral", reply.ResponseType);
        Assert.Contains("No incidents were resolved", reply.Text);
        Assert.Equal(0, await world.Scalar<long>("select count(*) from stats_requests where team_id = 'T0STATSEMPTY'"));
    }

    [Fact]
    public async Task Chart_OfTheFixedData_IsAPngOfTheChartsSize()
    {
        await Seed();
        var png = StatsChart.Png(await Report());
        using var bitmap = SKBitmap.Decode(png);
        Assert.Equal((StatsChart.Width, StatsChart.Height), (bitmap.Width, bitmap.Height));
        Assert.True(bitmap.Pixels.Count(p => p == new SKColor(0xC0, 0x39, 0x2B)) > 500, "sev1 bars drawn");
    }
}
