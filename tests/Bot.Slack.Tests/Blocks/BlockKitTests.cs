using System.Text.Json;
using System.Text.Json.Nodes;
using Bot.Slack.Blocks;

namespace Bot.Slack.Tests.Blocks;

public class BlockKitTests
{
    private static JsonNode Json(object value) => JsonNode.Parse(JsonSerializer.Serialize(value, SlackJson.Options))!;

    private static IReadOnlyList<Block> EveryBlock() =>
    [
        Block.Header("Status report"),
        Block.Section("*bold* text", new ButtonElement("open", "Open") { Value = "42", Style = ButtonStyle.Primary }) with { BlockId = "sec" },
        Block.SectionFields(TextObject.Markdown("*Owner*\n<@U1>"), TextObject.Plain("Due")),
        Block.Context("small print", "more"),
        Block.Divider(),
        Block.Actions(
            new ButtonElement("done", "Done") { Value = "item-1", Style = ButtonStyle.Primary },
            new ButtonElement("drop", "Drop") { Style = ButtonStyle.Danger },
            new StaticSelectElement("pick", [new SelectOption("One", "1"), new SelectOption("Two", "2")])
            {
                InitialOption = new SelectOption("One", "1"), Placeholder = "Choose",
            }),
        Block.Input("title", "Title", new PlainTextInputElement { ActionId = "title", Multiline = true, InitialValue = "x", MaxLength = 200 }),
        Block.Input("day", "Day", new DatePickerElement { ActionId = "day", InitialDate = DatePickerElement.Format(new DateOnly(2026, 11, 28)) }),
        Block.Input("time", "Time", new TimePickerElement { ActionId = "time", InitialTime = TimePickerElement.Format(new TimeOnly(9, 5)), Timezone = "Europe/Paris" }),
        Block.Input("who", "Who", new UsersSelectElement { ActionId = "who", InitialUser = "U1" }, optional: true, hint: "one person"),
        Block.Input("many", "Many", new MultiUsersSelectElement { ActionId = "many", InitialUsers = ["U1", "U2"], MaxSelectedItems = 5 }),
    ];

    [Fact]
    public void Blocks_SerializeWithTypeFirst_InSlacksShape()
    {
        var json = Json(EveryBlock()).AsArray();

        Assert.Equal(
            ["header", "section", "section", "context", "divider", "actions", "input", "input", "input", "input", "input"],
            json.Select(b => (string?)b!["type"]));
        Assert.All(json, b => Assert.Equal("type", b!.AsObject().First().Key));

        Assert.Equal("""{"type":"header","text":{"type":"plain_text","text":"Status report"}}""", json[0]!.ToJsonString());
        Assert.Equal(
            """{"type":"section","text":{"type":"mrkdwn","text":"*bold* text"},"accessory":{"type":"button","text":{"type":"plain_text","text":"Open"},"value":"42","style":"primary","action_id":"open"},"block_id":"sec"}""",
            json[1]!.ToJsonString());
        Assert.Equal("""{"type":"divider"}""", json[4]!.ToJsonString());
        var select = json[5]!["elements"]![2]!;
        Assert.Equal("static_select", (string?)select["type"]);
        Assert.Equal("2", (string?)select["options"]![1]!["value"]);
        Assert.Equal("One", (string?)select["initial_option"]!["text"]!["text"]);
        Assert.Equal("Choose", (string?)select["placeholder"]!["text"]);
        Assert.Equal(true, (bool?)json[6]!["element"]!["multiline"]);
        Assert.Equal("2026-11-28", (string?)json[7]!["element"]!["initial_date"]);
        Assert.Equal("09:05", (string?)json[8]!["element"]!["initial_time"]);
        Assert.Equal(true, (bool?)json[9]!["optional"]);
        Assert.Equal("one person", (string?)json[9]!["hint"]!["text"]);
        Assert.Equal(["U1", "U2"], json[10]!["element"]!["initial_users"]!.AsArray().Select(u => (string?)u));
    }

    [Fact]
    public void EveryFieldWritten_IsOneSlacksSamplesUseForThatType()
    {
        var view = new ModalView("Edit") { Blocks = EveryBlock(), CallbackId = "edit", PrivateMetadata = "{}", Submit = "Save", Close = "Cancel" };
        var checkedTypes = new HashSet<string>();

        void Check(JsonNode? node, bool isView)
        {
            if (node is JsonArray a) foreach (var item in a) Check(item, false);
            if (node is not JsonObject o) return;
            var type = isView ? "view" : (string?)o["type"];
            if (type is not null && SlackSamples.FieldsOf(type) is { } known)
            {
                checkedTypes.Add(type);
                foreach (var (name, _) in o)
                    Assert.True(known.Contains(name), $"{type}.{name} is not a field Slack's samples have ({string.Join(", ", known)})");
            }
            foreach (var (_, child) in o) Check(child, false);
        }
        Check(Json(view), isView: true);

        // The shapes the samples cover must all have been compared (header has no sample).
        Assert.Superset(new HashSet<string> { "view", "section", "context", "divider", "actions", "input", "button", "plain_text", "mrkdwn",
            "plain_text_input", "datepicker", "timepicker", "users_select", "multi_users_select", "static_select" }, checkedTypes);
    }

    [Fact]
    public void ModalAndHome_Serialize_WithTheirType()
    {
        var modal = Json(new ModalView("Edit section") { CallbackId = "cb", PrivateMetadata = "42", Submit = "Save", NotifyOnClose = true, Blocks = [Block.Divider()] });
        Assert.Equal("modal", (string?)modal["type"]);
        Assert.Equal("Edit section", (string?)modal["title"]!["text"]);
        Assert.Equal("plain_text", (string?)modal["title"]!["type"]);
        Assert.Equal("Save", (string?)modal["submit"]!["text"]);
        Assert.Null(modal["close"]);
        Assert.Equal("cb", (string?)modal["callback_id"]);
        Assert.Equal("42", (string?)modal["private_metadata"]);
        Assert.Equal(true, (bool?)modal["notify_on_close"]);
        Assert.Equal("divider", (string?)modal["blocks"]![0]!["type"]);

        var home = Json(new HomeView { Blocks = [Block.Header("Hi")] });
        Assert.Equal("""{"type":"home","blocks":[{"type":"header","text":{"type":"plain_text","text":"Hi"}}]}""", home.ToJsonString());
    }

    [Fact]
    public void Views_AsBaseType_StillWriteTheirOwnFields()
    {
        View view = new ModalView("T") { CallbackId = "c" };
        var json = Json(new { view });
        Assert.Equal("modal", (string?)json["view"]!["type"]);
        Assert.Equal("T", (string?)json["view"]!["title"]!["text"]);
    }

    [Theory]
    [InlineData(150)]
    [InlineData(151)]
    [InlineData(1000)]
    public void HeaderText_IsCutAt150_WithAVisibleEllipsis(int length)
    {
        var header = Block.Header(new string('h', length));
        Assert.True(header.Text.Text.Length <= SlackLimits.HeaderText);
        Assert.Equal(length > 150, header.Text.Text.EndsWith('…'));
    }

    [Fact]
    public void TextLimits_AreKeptByTruncating()
    {
        var long5000 = new string('x', 5000);
        Assert.Equal(3000, Block.Section(long5000).Text!.Text.Length);
        Assert.EndsWith("…", Block.Section(long5000).Text!.Text);
        Assert.Equal(75, new ButtonElement("a", long5000).Text.Text.Length);
        Assert.Equal(24, new ModalView("A title far longer than Slack allows").Title.Text.Length);
        Assert.Equal("A title far longer than…", new ModalView("A title far longer than Slack allows").Title.Text);
        Assert.Equal(24, new ModalView("t") { Submit = long5000 }.Submit!.Text.Length);
        Assert.All(Block.SectionFields(TextObject.Plain(long5000)).Fields!, f => Assert.Equal(2000, f.Text.Length));
        Assert.Equal(75, new SelectOption(long5000, "v").Text.Text.Length);
        // A record copy made with "with" keeps the limits too.
        Assert.Equal(150, (Block.Header("x") with { Text = long5000 }).Text.Text.Length);
    }

    [Fact]
    public void Truncate_DoesNotSplitASurrogatePair()
    {
        var text = new string('a', 22) + "😀😀";
        var cut = SlackLimits.Truncate(text, 24);
        Assert.Equal(new string('a', 22) + "…", cut);
    }

    [Fact]
    public void TooManyFields_TheLastSaysHowManyMore()
    {
        var fields = Enumerable.Range(1, 14).Select(i => (TextObject)TextObject.Plain($"f{i}")).ToArray();
        var section = Block.SectionFields(fields);
        Assert.Equal(10, section.Fields!.Count);
        Assert.Equal("f9", section.Fields[8].Text);
        Assert.Equal("… 5 more not shown", section.Fields[9].Text);
    }

    [Fact]
    public void Views_KeepAtMost100Blocks_Visibly()
    {
        var blocks = Enumerable.Range(1, 130).Select(i => (Block)Block.Section($"b{i}")).ToList();
        var view = new HomeView { Blocks = blocks };
        Assert.Equal(100, view.Blocks.Count);
        var last = Assert.IsType<ContextBlock>(view.Blocks[99]);
        Assert.Equal("… 31 more not shown", last.Elements[0].Text);

        var hundred = blocks.Take(100).ToList();
        Assert.Same(hundred, new HomeView { Blocks = hundred }.Blocks);
    }

    [Fact]
    public void MessageBlocks_AtTheLimit_AreLeftAlone()
    {
        var fifty = Enumerable.Range(1, 50).Select(i => (Block)Block.Divider()).ToList();
        Assert.Same(fifty, BlockLimits.ForMessage(fifty));
        Assert.Equal(50, BlockLimits.ForMessage([.. fifty, Block.Divider()]).Count);
    }

    [Fact]
    public void PrivateMetadata_OverTheLimit_Throws()
    {
        var ok = new ModalView("t") { PrivateMetadata = new string('m', 3000) };
        Assert.Equal(3000, ok.PrivateMetadata!.Length);
        var e = Assert.Throws<ArgumentException>(() => new ModalView("t") { PrivateMetadata = new string('m', 3001) });
        Assert.Contains("3001", e.Message);
    }

    [Fact]
    public void Identifiers_OverTheLimit_Throw_RatherThanRouteNowhere()
    {
        var id = new string('i', 256);
        Assert.Throws<ArgumentException>(() => new ButtonElement(id, "x"));
        Assert.Throws<ArgumentException>(() => Block.Divider() with { BlockId = id });
        Assert.Throws<ArgumentException>(() => new ModalView("t") { CallbackId = id });
        Assert.Throws<ArgumentException>(() => new SelectOption("t", new string('v', 151)));
        Assert.Throws<ArgumentException>(() => new ButtonElement("a", "b") { Value = new string('v', 2001) });
    }

    [Fact]
    public void ActionsAndOptions_AreCappedAtSlacksCounts()
    {
        var buttons = Enumerable.Range(0, 30).Select(i => (BlockElement)new ButtonElement($"b{i}", "x")).ToArray();
        Assert.Equal(25, Block.Actions(buttons).Elements.Count);
        var options = Enumerable.Range(0, 150).Select(i => new SelectOption($"o{i}", $"{i}")).ToList();
        Assert.Equal(100, new StaticSelectElement("s", options).Options.Count);
    }

    [Fact]
    public void Blocks_AreWriteOnly_WithAClearMessage()
    {
        var e = Assert.Throws<NotSupportedException>(() => JsonSerializer.Deserialize<Block>("""{"type":"divider"}""", SlackJson.Options));
        Assert.Contains("written only", e.Message);
    }
}
