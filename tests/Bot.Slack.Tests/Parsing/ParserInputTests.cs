using System.Text;
using System.Text.Json;
using Bot.Slack.Events;
using Bot.Slack.Interactivity;
using Bot.Slack.Parsing;

namespace Bot.Slack.Tests.Parsing;

public class ParserInputTests
{
    [Fact]
    public void SlashCommandForm_IsDecoded()
    {
        var body = Samples.Bytes("signing/test_vector.json");
        var vector = JsonDocument.Parse(body).RootElement;
        var command = SlackParser.ParseSlashCommandForm(Encoding.UTF8.GetBytes(vector.GetProperty("body").GetString()!));
        Assert.Equal(("/webhook-collect", "", "G8PSS9T3V", "U2CERLKJA"), (command.Command, command.Text, command.ChannelId, command.UserId));
        Assert.Equal("https://hooks.slack.com/commands/T1DC2JH3J/397700885554/96rGlfmibIGlgcZRskXaIFfN", command.ResponseUrl);
    }

    [Fact]
    public void SlashCommandForm_DecodesPlusAndPercent()
    {
        var command = SlackParser.ParseSlashCommandForm("command=%2Fdo&text=new+db+is+down+%3C%21channel%3E"u8);
        Assert.Equal("new db is down <!channel>", command.Text);
    }

    [Fact]
    public void SlashCommandForm_WithoutCommand_IsRejected() =>
        Assert.Throws<SlackParseException>(() => SlackParser.ParseSlashCommandForm("text=hi"u8));

    [Theory]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("{\"type\":\"event_callback\"}")]
    [InlineData("{\"type\":\"event_callback\",\"event\":{\"type\":\"message\",\"ts\":{}}}")]
    [InlineData("{\"challenge\":\"x\"}")]
    [InlineData("{\"type\":\"url_verification\"}")]
    public void MalformedEventsBody_IsAParseError(string body) =>
        Assert.Throws<SlackParseException>(() => SlackParser.ParseEventsBody(Encoding.UTF8.GetBytes(body)));

    [Fact]
    public void UnknownOuterType_IsReturnedWithoutCallback()
    {
        var body = SlackParser.ParseEventsBody("""{"type":"app_rate_limited","minute_rate_limited":1}"""u8);
        Assert.Equal(("app_rate_limited", null, null), (body.Type, body.Challenge, body.Callback));
    }

    [Fact]
    public void UnknownEventType_KeepsItsFields()
    {
        var body = SlackParser.ParseEventsBody("""{"type":"event_callback","event_id":"Ev1","event":{"type":"brand_new","thing":{"a":1}}}"""u8);
        var e = Assert.IsType<UnknownEvent>(body.Callback!.Event);
        Assert.Equal(("brand_new", 1), (e.Type, e.Extra!["thing"].GetProperty("a").GetInt32()));
    }

    [Fact]
    public void Events_RoundTrip_ThroughSlackJson()
    {
        var e = SlackParser.ParseEvent(JsonDocument.Parse(Samples.Bytes("events/java-model-tests/reaction_added.inner.json")).RootElement);
        var again = JsonSerializer.Deserialize<SlackEvent>(JsonSerializer.Serialize(e, SlackJson.Options), SlackJson.Options);
        Assert.Equal("thumbsup", Assert.IsType<ReactionAddedEvent>(again).Reaction);
    }

    [Fact]
    public void ConcreteEventType_DeserializesDirectly()
    {
        var m = JsonSerializer.Deserialize<MessageEvent>("""{"type":"message","text":"hi","ts":"1.2"}""", SlackJson.Options)!;
        Assert.Equal("hi", m.Text);
    }

    [Fact]
    public void InteractionForm_ReadsPayloadField()
    {
        var json = """{"type":"view_submission","view":{"callback_id":"cb","state":{"values":{"b":{"a":{"type":"plain_text_input","value":"v"}}}}}}""";
        var form = "payload=" + Uri.EscapeDataString(json);
        var payload = Assert.IsType<ViewSubmissionPayload>(SlackParser.ParseInteractionForm(Encoding.UTF8.GetBytes(form)));
        Assert.Equal(("cb", "v"), (payload.View.CallbackId, payload.View.State!.Values["b"]["a"].Value));
    }

    [Fact]
    public void UnknownInteraction_IsKept()
    {
        var payload = SlackParser.ParseInteraction("""{"type":"block_suggestion","value":"x"}""");
        Assert.Equal(("block_suggestion", "x"), (payload.Type, Assert.IsType<UnknownInteraction>(payload).Extra!["value"].GetString()));
    }

    [Theory]
    [InlineData("")]
    [InlineData("nopayload=1")]
    [InlineData("payload=%7Bnot")]
    public void MalformedInteractionForm_IsAParseError(string form) =>
        Assert.Throws<SlackParseException>(() => SlackParser.ParseInteractionForm(Encoding.UTF8.GetBytes(form)));
}
