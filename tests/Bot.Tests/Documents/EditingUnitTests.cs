using Bot.Documents;
using Bot.Postmortems;
using Sections = Bot.Timeline.Sections;

namespace Bot.Tests.Documents;

/// <summary>The pure parts of editing: splitting a section into Slack-sized boxes and joining it back, finding the
/// section a person means, parsing the new /postmortem verbs.</summary>
public sealed class EditingUnitTests
{
    [Theory]
    [InlineData(0, 0)]
    [InlineData(3000, 0)]
    [InlineData(3001, 0)]
    [InlineData(9000, 37)]
    [InlineData(20000, 0)]
    [InlineData(20000, 500)]
    public void Split_ThenJoin_GivesBackTheSameText_EveryPieceFitsABox(int length, int lineEvery)
    {
        var random = new Random(length + lineEvery);
        var chars = Enumerable.Range(0, length).Select(i => lineEvery > 0 && i % lineEvery == lineEvery - 1 && random.Next(3) > 0 ? '\n' : (char)('a' + random.Next(26))).ToArray();
        var text = new string(chars);

        var pieces = SectionText.Split(text);

        Assert.All(pieces, p => Assert.True(p.Text.Length <= 3000, $"{p.Text.Length}"));
        Assert.Equal(text, JoinAll(pieces));
        if (length > 3000) Assert.True(pieces.Count >= (length + 2999) / 3000);
    }

    [Fact]
    public void Split_CutsAtLineEnds_AndNeverInsideASurrogatePair()
    {
        var lines = string.Join("\n", Enumerable.Range(0, 40).Select(i => new string((char)('a' + i % 26), 99)));
        var pieces = SectionText.Split(lines);
        Assert.All(pieces.SkipLast(1), p => Assert.Equal("\n", p.Joiner));
        Assert.All(pieces, p => Assert.DoesNotContain('\n', p.Text.Length > 0 ? p.Text[^1].ToString() : ""));

        var emoji = string.Concat(Enumerable.Repeat("😀", 2000)); // 4,000 UTF-16 units, no line ends
        var cut = SectionText.Split(emoji);
        Assert.All(cut, p => Assert.False(p.Text.Length > 0 && char.IsHighSurrogate(p.Text[^1])));
        Assert.Equal(emoji, JoinAll(cut));
    }

    [Fact]
    public void Join_PutsEachJoinerBetweenBoxes_EmptyOnesKeepTheirPlace()
    {
        Assert.Equal("a\n\nc", SectionText.Join([("a", "\n"), ("", "\n"), ("c", "\n")]));
        Assert.Equal("ab\n", SectionText.Join([("a", ""), ("b", "\n"), (null, "\n")]));
        Assert.Equal("", SectionText.Join([(null, "\n")]));
        Assert.Equal("\n" + new string('x', 4000), JoinAll(SectionText.Split("\n" + new string('x', 4000))));
    }

    [Fact]
    public void Current_IsTheEdit_ElseTheCapturedLines_WithDatesWhenSeveralDays()
    {
        DocumentItem Item(string date, string time, string text) => new(DateTimeOffset.UnixEpoch, date, time, "U1", "Jane Doe", text, null);
        var oneDay = new DocumentSection("symptoms", "Symptoms", [Item("2026-11-27", "03:10", "the db is slow"), Item("2026-11-27", "03:12", "502s")], null);
        Assert.Equal("03:10 Jane Doe: the db is slow\n03:12 Jane Doe: 502s", SectionText.Current(oneDay));
        var twoDays = oneDay with { Items = [Item("2026-11-27", "23:59", "slow"), Item("2026-11-28", "00:01", "down")] };
        Assert.Equal("2026-11-27 23:59 Jane Doe: slow\n2026-11-28 00:01 Jane Doe: down", SectionText.Current(twoDays));
        var edited = oneDay with { Edit = new SectionEdit("Our words.", "U2", "Bob", DateTimeOffset.UnixEpoch) };
        Assert.Equal("Our words.", SectionText.Current(edited));
    }

    [Theory]
    [InlineData("symptoms", Sections.Symptoms)]
    [InlineData("Key points", Sections.KeyPoints)]
    [InlineData("key_points", Sections.KeyPoints)]
    [InlineData("contributing factors", Sections.Hypothesis)]
    [InlineData("factors", Sections.Hypothesis)]
    [InlineData("hypothesis", Sections.Hypothesis)]
    [InlineData("learn", SectionKeys.Learn)]
    [InlineData("What didn't go so well", Sections.WentBadly)]
    [InlineData("went well", Sections.WentWell)]
    [InlineData("SUMMARY", SectionKeys.Summary)]
    [InlineData("details", SectionKeys.AdditionalDetails)]
    [InlineData("impact", Sections.Impact)]
    public void Find_KnowsKeysTitlesAndUniqueWords(string typed, string key) => Assert.Equal(key, EditCommand.Find(typed));

    [Theory]
    [InlineData("root cause")]
    [InlineData("what")] // several sections
    [InlineData("go")]
    [InlineData("!!")]
    [InlineData("action items")] // not a narrative section
    public void Find_UnknownOrAmbiguous_IsNull(string typed) => Assert.Null(EditCommand.Find(typed));

    [Fact]
    public void Parser_ReadsTheEditingVerbs()
    {
        Assert.Equal(new PostmortemRequest.Edit(null), PostmortemCommandParser.Parse("edit"));
        Assert.Equal(new PostmortemRequest.Edit("key points"), PostmortemCommandParser.Parse("edit key points"));
        Assert.Equal(new PostmortemRequest.Question("Why?"), PostmortemCommandParser.Parse("question Why?"));
        Assert.Equal(new PostmortemRequest.Questions(1), PostmortemCommandParser.Parse("questions"));
        Assert.Equal(new PostmortemRequest.Questions(3), PostmortemCommandParser.Parse("questions 3"));
        Assert.Equal(new PostmortemRequest.Answer(12, "DNS TTL, 10 min"), PostmortemCommandParser.Parse("answer #12 DNS TTL, 10 min"));
        foreach (var bad in new[] { "question", "questions 0", "questions x", "answer", "answer 3", "answer x y", "answer 0 y" })
            Assert.IsType<PostmortemRequest.Invalid>(PostmortemCommandParser.Parse(bad));
        Assert.Contains("/postmortem answer <n> <text>", PostmortemCommandParser.HelpText);
        Assert.Contains("/postmortem edit [section]", PostmortemCommandParser.HelpText);
    }

    private static string JoinAll(IReadOnlyList<SectionText.Piece> pieces) =>
        SectionText.Join(pieces.Select(p => ((string?)p.Text, p.Joiner)).ToList());
}

/// <summary>The section modal as Slack receives it, for sections far past one box.</summary>
public sealed class EditSectionModalTests
{
    [Fact]
    public void HugeSection_FillsNinetyBoxes_WithinSlacksLimits_AndSaysTheRestIsKept()
    {
        var text = string.Join("\n", Enumerable.Range(0, 3000).Select(i => $"{i:D4} " + new string('x', 95))); // 300,000 characters
        var view = EditSectionModal.Build(Doc(), Sections.Symptoms, text, baseStamp: 0, warning: null);

        var json = System.Text.Json.Nodes.JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize<Bot.Slack.Blocks.View>(view, Bot.Slack.SlackJson.Options))!.AsObject();
        Assert.Empty(Bot.Slack.Testing.FakeSlack.ViewProblems(json));
        var inputs = json["blocks"]!.AsArray().Where(b => b!["type"]!.ToString() == "input").ToList();
        Assert.Equal(EditSectionModal.MaxBoxes, inputs.Count);
        Assert.Contains("The rest is not shown here and is kept", json.ToJsonString());
        var shown = string.Join("\n", inputs.Select(b => b!["element"]!["initial_value"]!.ToString()));
        var tailFrom = int.Parse(json["private_metadata"]!.ToString().Split('|')[4], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(text, shown + "\n" + text[tailFrom..]);
    }

    [Fact]
    public void FullLastBox_GetsAnEmptyOneToWriteMore()
    {
        var view = EditSectionModal.Build(Doc(), SectionKeys.Learn, new string('y', 2500), baseStamp: 0, warning: null);
        var inputs = view.Blocks.OfType<Bot.Slack.Blocks.InputBlock>().ToList();
        Assert.Equal(2, inputs.Count);
        Assert.Null(((Bot.Slack.Blocks.PlainTextInputElement)inputs[1].Element).InitialValue);
    }

    private static PostmortemDocument Doc() => new()
    {
        IncidentId = 7, Number = 3, Title = "Checkout <!channel>", Status = "resolved", OpenedAt = DateTimeOffset.UnixEpoch, TimeZone = "Etc/UTC",
        OpenedText = "1970-01-01 00:00", Sections = [], People = [], Timeline = [], WarRoom = new WarRoom(null, null, []), Screenshots = [],
        ActionItems = [], Questions = [], Edits = [],
    };
}
