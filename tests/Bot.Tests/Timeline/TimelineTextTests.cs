using Bot.Timeline;

namespace Bot.Tests.Timeline;

public class TimelineTextTests
{
    private static string? Names(string id) => id switch { "U1" => "Ada <admin>", "U2" => "Bob", _ => null };
    private static string? Groups(string id) => id == "S1" ? "dbas" : null;

    private static TimelineRow Row(string kind, string? text = null, string? data = null) => new()
    {
        Kind = kind, UserId = "U1", Text = text, Data = data, OccurredAt = new DateTime(2026, 11, 28, 14, 3, 0, DateTimeKind.Utc),
    };

    [Fact]
    public void Message_ShowsNamesMarksAndSections_AndDefusesBroadcasts()
    {
        var row = Row(EntryKinds.Message, "<!channel> ask <@U2> and <!subteam^S1|@dbas>");
        row.ThreadTs = "1.0";
        row.Edited = true;
        row.Pinned = true;
        row.Sections = [Sections.Observations];
        row.Images = ["https://files.example/F1"];
        var line = TimelineText.Line(row, Names, Groups);
        Assert.Equal("`14:03` ↳ *Ada &lt;admin&gt;*: @channel ask @Bob and @dbas _(edited)_ :frame_with_picture: <https://files.example/F1|screenshot> :pushpin: `Observations`", line);
    }

    [Fact]
    public void Changes_ReadAsSentences()
    {
        Assert.Equal("`14:03` :traffic_light: Status → *identified* (was investigating), by *Ada &lt;admin&gt;*",
            TimelineText.Line(Row(EntryKinds.Status, data: """{"from":"investigating","to":"identified"}"""), Names, Groups));
        Assert.Equal("`14:03` :bust_in_silhouette: scribe → *Bob*, by *Ada &lt;admin&gt;*",
            TimelineText.Line(Row(EntryKinds.Role, data: """{"role":"scribe","to":"U2"}"""), Names, Groups));
    }

    [Fact]
    public void Published_ReadsAsASentence() =>
        Assert.Equal("`14:03` :mega: Post-mortem published, by *Ada &lt;admin&gt;*",
            TimelineText.Line(Row(EntryKinds.Published, "Post-mortem published"), Names, Groups));

    [Fact]
    public void Opened_EscapesTheTitle() =>
        Assert.Contains("&lt;!channel&gt; down", TimelineText.Line(Row(EntryKinds.Opened, "<!channel> down"), Names, Groups));

    [Fact]
    public void WithDays_AddsAHeadingWhenTheDateChanges()
    {
        var a = Row(EntryKinds.Note, "a");
        var b = Row(EntryKinds.Note, "b");
        b.OccurredAt = b.OccurredAt.AddDays(1);
        var lines = TimelineText.WithDays([(a, "A"), (b, "B")]).ToList();
        Assert.Equal(["*Saturday 28 November 2026* (UTC)", "A", "*Sunday 29 November 2026* (UTC)", "B"], lines);
    }
}
