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
        var command = SlackParser.ParseSlashCommandForm("command=%2Fdo&user_id=U1&channel_id=C1&text=new+db+is+down+%3C%21channel%3E"u8);
        Assert.Equal("new db is down <!channel>", command.Text);
    }

    [Fact]
    public void SlashCommandForm_WithoutCommand_IsRejected() =>
        Assert.Throws<SlackParseException>(() => SlackParser.ParseSlashCommandForm("text=hi"u8));

    // Found by the endpoint fuzz test: /postmortem ask with no user_id reached Mrkdwn.User("") and threw.
    [Theory]
    [InlineData("command=%2Fpostmortem&text=ask+why&channel_id=C1")]
    [InlineData("command=%2Fpostmortem&text=ask+why&channel_id=C1&user_id=")]
    [InlineData("command=%2Fincident&text=new+x&user_id=U1")]
    [InlineData("command=%2Fincident&text=new+x&user_id=U1&channel_id=+")]
    public void SlashCommandForm_WithoutUserOrChannel_IsRejected(string form) =>
        Assert.Throws<SlackParseException>(() => SlackParser.ParseSlashCommandForm(Encoding.UTF8.GetBytes(form)));

    // Found by the endpoint fuzz test: invalid UTF-8 inside a JSON string passed the document parser and threw
    // InvalidOperationException when the model read it.
    [Fact]
    public void EventsBody_WithInvalidUtf8InAString_IsRejected()
    {
        byte[] body = [.. "{\"type\":\"event_callback\",\"event\":{\"type\":\"message\",\"text\":\""u8, 0xC3, 0x28, .. "\"}}"u8];
        Assert.Throws<SlackParseException>(() => SlackParser.ParseEventsBody(body));
    }

    // Found by the endpoint fuzz test: a null where the model has a value ("actions": null, "view": null) reached the
    // dispatcher as a null and threw there.
    [Theory]
    [InlineData("""{"type":"block_actions","actions":null}""")]
    [InlineData("""{"type":"view_submission","view":null}""")]
    [InlineData("""{"type":"view_closed","view":null}""")]
    [InlineData("""{"type":"block_actions","actions":[{"action_id":null}]}""")]
    [InlineData("""{"type":"view_submission","view":{"callback_id":"x","state":{"values":null}}}""")]
    public void Interaction_WithNullWhereTheModelHasAValue_IsRejected(string json) =>
        Assert.Throws<SlackParseException>(() => SlackParser.ParseInteraction(json));

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
