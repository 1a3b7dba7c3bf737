using System.Text.Json;
using Bot.Slack.Events;
using Bot.Slack.Interactivity;
using Bot.Slack.Parsing;
using Bot.Slack.SocketMode;

namespace Bot.Slack.Tests.Parsing;

/// <summary>Every sample Slack payload parses into the class it should. Skeleton files (java-json-logs-shapes)
/// carry blank values, so for them the type and the fields that are present are checked.</summary>
public class SampleParsingTests
{
    public static TheoryData<string> AllSamples()
    {
        var data = new TheoryData<string>();
        foreach (var folder in new[] { "events", "interactivity", "socketmode" })
            foreach (var file in Samples.Under(folder)) data.Add(file);
        return data;
    }

    [Theory]
    [MemberData(nameof(AllSamples))]
    public void Sample_ParsesIntoItsType(string file)
    {
        var bytes = Samples.Bytes(file);
        var name = Path.GetFileName(file);
        switch (Path.GetDirectoryName(file)!.Replace('\\', '/'))
        {
            case "events/java-model-tests":
                CheckInnerEvent(name, SlackParser.ParseEvent(JsonDocument.Parse(bytes).RootElement));
                break;
            case "events/java-json-logs-shapes":
                CheckEnvelope(name, SlackParser.ParseEventCallback(bytes));
                break;
            case "events/python-slack-events-api":
                CheckPythonEventsApi(name, SlackParser.ParseEventsBody(bytes));
                break;
            case "interactivity/java-json-logs-shapes":
                CheckInteractivity(name, bytes);
                break;
            case "socketmode":
                CheckSocketMode(name, bytes);
                break;
            default:
                Assert.Fail($"no expectation for sample folder of {file}");
                break;
        }
    }

    private static void CheckInnerEvent(string name, SlackEvent e)
    {
        switch (name)
        {
            case "app_home_opened.inner.json":
                var home = Assert.IsType<AppHomeOpenedEvent>(e);
                Assert.Equal(("U061F7AUR", "D0LAN2Q65"), (home.User, home.Channel));
                Assert.Equal("1515449522000016", home.EventTs);
                break;
            case "member_joined_channel.inner.json":
                var join = Assert.IsType<MemberJoinedChannelEvent>(e);
                Assert.Equal(("W06GH7XHN", "C0698JE0H", "U123456789", "T024BE7LD"), (join.User, join.Channel, join.Inviter, join.Team));
                break;
            case "message.app_home.inner.json":
                var dm = Assert.IsType<MessageEvent>(e);
                Assert.Equal(("app_home", "How many cats did we herd yesterday?"), (dm.ChannelType, dm.Text));
                Assert.Null(dm.Subtype);
                break;
            case "message.bot_message.inner.json":
                var bot = Assert.IsType<MessageEvent>(e);
                Assert.Equal(("bot_message", "ABC1234", "seanbot", "1355517523.000005"), (bot.Subtype, bot.BotId, bot.Username, bot.Ts));
                Assert.False(bot.IsThreadReply);
                Assert.True(bot.Extra!.ContainsKey("icons")); // unknown fields kept
                break;
            case "message.bot_message.thread_reply.inner.json":
                var botReply = Assert.IsType<MessageEvent>(e);
                Assert.Equal(("bot_message", "1610402224.000200"), (botReply.Subtype, botReply.ThreadTs));
                Assert.True(botReply.IsThreadReply);
                break;
            case "message.channel.inner.json":
                var plain = Assert.IsType<MessageEvent>(e);
                Assert.Equal(("C2147483705", "U2147483697", "Hello world", "1355517523.000005"), (plain.Channel, plain.User, plain.Text, plain.Ts));
                Assert.Null(plain.Subtype);
                Assert.False(plain.IsThreadReply);
                break;
            case "message.edited.inner.json":
                var edited = Assert.IsType<MessageEvent>(e);
                Assert.NotNull(edited.Edited);
                Assert.Equal("U2147483697", edited.Edited!.User);
                Assert.False(string.IsNullOrEmpty(edited.Edited.Ts));
                break;
            case "message.file_share.inner.json":
                var share = Assert.IsType<MessageEvent>(e);
                Assert.Equal("file_share", share.Subtype);
                var file = Assert.Single(share.Files!);
                Assert.Equal(("F111", "test_text.txt", "text/plain", 14L), (file.Id, file.Name, file.Mimetype, file.Size!.Value));
                Assert.Equal("https://org-domain.enterprise.slack.com/files/U111/F111/test_text.txt", file.Permalink);
                Assert.False(file.IsImage);
                Assert.True(file.Extra!.ContainsKey("preview"));
                break;
            case "message.thread_reply.channel.inner.json":
                var reply = Assert.IsType<MessageEvent>(e);
                Assert.Equal(("1726133698.626339", "1726133700.887259", "W222"), (reply.ThreadTs, reply.Ts, reply.ParentUserId));
                Assert.True(reply.IsThreadReply);
                Assert.Null(reply.Subtype);
                break;
            case "message.with_files.inner.json":
                var withFiles = Assert.IsType<MessageEvent>(e);
                Assert.Equal("Check this snippet", withFiles.Text);
                Assert.Equal("F111", Assert.Single(withFiles.Files!).Id);
                break;
            case "message_changed.thread_reply.inner.json":
                var changed = Assert.IsType<MessageEvent>(e);
                Assert.Equal(("message_changed", true, "C111"), (changed.Subtype, changed.Hidden, changed.Channel));
                Assert.Equal(("updated message", "1626342128.008700"), (changed.Message!.Text, changed.Message.Ts));
                Assert.True(changed.Message.IsThreadReply);
                Assert.NotNull(changed.Message.Edited);
                Assert.Equal("test", changed.PreviousMessage!.Text);
                break;
            case "message_deleted.inner.json":
                var deleted = Assert.IsType<MessageEvent>(e);
                Assert.Equal(("message_deleted", "1626387317.008600", "C111"), (deleted.Subtype, deleted.DeletedTs, deleted.Channel));
                Assert.Equal("test prep", deleted.PreviousMessage!.Text);
                break;
            case "message_file_share.thread.inner.json":
                var threadShare = Assert.IsType<MessageEvent>(e);
                Assert.Equal(("file_share", "1595552279.000600"), (threadShare.Subtype, threadShare.ThreadTs));
                Assert.True(threadShare.IsThreadReply);
                Assert.Equal("sample.txt", Assert.Single(threadShare.Files!).Name);
                break;
            case "pin_added.inner.json":
                var pin = Assert.IsType<PinAddedEvent>(e);
                Assert.Equal(("U024BE7LH", "C02ELGNBH"), (pin.User, pin.ChannelId));
                Assert.NotNull(pin.Item);
                break;
            case "pin_removed.inner.json":
                var unpin = Assert.IsType<PinRemovedEvent>(e);
                Assert.Equal(("U024BE7LH", "C02ELGNBH"), (unpin.User, unpin.ChannelId));
                break;
            case "reaction_added.inner.json":
                var added = Assert.IsType<ReactionAddedEvent>(e);
                Assert.Equal(("U024BE7LH", "thumbsup", "U0G9QF9C6"), (added.User, added.Reaction, added.ItemUser));
                Assert.Equal(("message", "C0G9QF9GZ", "1360782400.498405"), (added.Item!.Type, added.Item.Channel, added.Item.Ts));
                break;
            case "reaction_removed.inner.json":
                var removed = Assert.IsType<ReactionRemovedEvent>(e);
                Assert.Equal(("thumbsup", "C0G9QF9GZ"), (removed.Reaction, removed.Item!.Channel));
                break;
            default:
                Assert.Fail($"no expectation for {name}");
                break;
        }
    }

    private static void CheckEnvelope(string name, EventCallback envelope)
    {
        // Skeletons: blank strings, 123 for numbers, one element per array.
        Assert.True(envelope.EventTime is 123 or 12345);
        Assert.Equal("", envelope.EventId);
        Assert.False(envelope.IsExtSharedChannel);
        Assert.True(envelope.Extra!.ContainsKey("authorizations"));
        var e = envelope.Event;
        switch (name)
        {
            case "AppHomeOpenedPayload.json": Assert.IsType<AppHomeOpenedEvent>(e); break;
            case "AppMentionPayload.json": Assert.Equal("app_mention", Assert.IsType<UnknownEvent>(e).Type); break;
            case "AppRateLimitedPayload.json":
                var limited = Assert.IsType<UnknownEvent>(e);
                Assert.Equal(123, limited.Extra!["minute_rate_limited"].GetInt32());
                break;
            case "AppUninstalledPayload.json": Assert.IsType<AppUninstalledEvent>(e); break;
            case "MemberJoinedChannelPayload.json": Assert.IsType<MemberJoinedChannelEvent>(e); break;
            case "MemberLeftChannelPayload.json": Assert.IsType<MemberLeftChannelEvent>(e); break;
            case "MessageBotPayload.json": Assert.Equal("bot_message", Assert.IsType<MessageEvent>(e).Subtype); break;
            case "MessageChangedPayload.json":
                var changed = Assert.IsType<MessageEvent>(e);
                Assert.Equal("message_changed", changed.Subtype);
                Assert.NotNull(changed.Message);
                Assert.NotNull(changed.Message!.Edited);
                break;
            case "MessageDeletedPayload.json":
                var deleted = Assert.IsType<MessageEvent>(e);
                Assert.Equal("message_deleted", deleted.Subtype);
                Assert.NotNull(deleted.PreviousMessage);
                break;
            case "MessageFileSharePayload.json":
                var share = Assert.IsType<MessageEvent>(e);
                Assert.Equal("file_share", share.Subtype);
                Assert.NotNull(share.Files);
                break;
            case "MessagePayload.json": Assert.Equal("message", Assert.IsType<MessageEvent>(e).Type); break;
            case "MessageRepliedPayload.json": Assert.Equal("message_replied", Assert.IsType<MessageEvent>(e).Subtype); break;
            case "MessageThreadBroadcastPayload.json":
                var broadcast = Assert.IsType<MessageEvent>(e);
                Assert.Equal("thread_broadcast", broadcast.Subtype);
                Assert.NotNull(broadcast.Root);
                break;
            case "PinAddedPayload.json": Assert.NotNull(Assert.IsType<PinAddedEvent>(e).Item); break;
            case "PinRemovedPayload.json": Assert.IsType<PinRemovedEvent>(e); break;
            case "ReactionAddedPayload.json": Assert.NotNull(Assert.IsType<ReactionAddedEvent>(e).Item); break;
            case "ReactionRemovedPayload.json": Assert.NotNull(Assert.IsType<ReactionRemovedEvent>(e).Item); break;
            case "TokensRevokedPayload.json":
                var revoked = Assert.IsType<TokensRevokedEvent>(e);
                Assert.Single(revoked.Tokens!.Oauth!);
                Assert.Single(revoked.Tokens.Bot!);
                break;
            default:
                Assert.Fail($"no expectation for {name}");
                break;
        }
    }

    private static void CheckPythonEventsApi(string name, EventsApiBody body)
    {
        switch (name)
        {
            case "reaction_added.json":
                Assert.Equal(EventsApiBody.EventCallbackType, body.Type);
                Assert.Equal(("T0JFD6M53", "A28SCUES3"), (body.Callback!.TeamId, body.Callback.ApiAppId));
                var reaction = Assert.IsType<ReactionAddedEvent>(body.Callback.Event);
                Assert.Equal(("grinning", "U27FFLNF4", "D2AQCJCQ2"), (reaction.Reaction, reaction.User, reaction.Item!.Channel));
                Assert.True(body.Callback.Extra!.ContainsKey("authed_users"));
                break;
            case "url_challenge.json":
                Assert.Equal((EventsApiBody.UrlVerification, "valid_challenge_token"), (body.Type, body.Challenge));
                Assert.Null(body.Callback);
                break;
            default:
                Assert.Fail($"no expectation for {name}");
                break;
        }
    }

    private static void CheckInteractivity(string name, byte[] bytes)
    {
        using var doc = JsonDocument.Parse(bytes);
        if (name == "SlashCommandPayload.json")
        {
            // A shape sample: every field blank. A command that names no command, person or channel is not what Slack
            // sends, and is refused like the same form over HTTP.
            var refused = Assert.Throws<SlackParseException>(() => SlackParser.ParseSlashCommand(doc.RootElement));
            Assert.Contains("no command", refused.Message);
            return;
        }
        var payload = SlackParser.ParseInteraction(doc.RootElement);
        Assert.NotNull(payload.Team);
        Assert.NotNull(payload.User);
        switch (name)
        {
            case "BlockActionPayload.json":
                var actions = Assert.IsType<BlockActionsPayload>(payload);
                Assert.Equal("block_actions", actions.Type);
                Assert.NotEmpty(actions.Actions);
                Assert.NotNull(actions.Container);
                Assert.NotNull(actions.Message);
                break;
            case "MessageShortcutPayload.json":
                var shortcut = Assert.IsType<MessageShortcutPayload>(payload);
                Assert.Equal("", shortcut.CallbackId);
                Assert.NotNull(shortcut.Message);
                Assert.NotNull(shortcut.Channel);
                break;
            case "ViewClosedPayload.json":
                var closed = Assert.IsType<ViewClosedPayload>(payload);
                Assert.False(closed.IsCleared);
                Assert.Equal("", closed.View.CallbackId);
                Assert.True(closed.Extra!.ContainsKey("function_data"));
                break;
            case "ViewSubmissionPayload.json":
                var submitted = Assert.IsType<ViewSubmissionPayload>(payload);
                Assert.Equal("", submitted.View.PrivateMetadata);
                Assert.NotNull(submitted.View.State);
                Assert.True(submitted.View.Extra!.ContainsKey("title"));
                break;
            default:
                Assert.Fail($"no expectation for {name}");
                break;
        }
    }

    private static void CheckSocketMode(string name, byte[] bytes)
    {
        if (name == "apps.connections.open.response.json")
        {
            var open = JsonSerializer.Deserialize<ConnectionsOpenResponse>(bytes, SlackJson.Options)!;
            Assert.False(open.Ok);
            Assert.Equal("", open.Error);
            return;
        }
        using var frame = SocketModeFrame.Parse(bytes);
        switch (frame.Type)
        {
            case SocketModeFrame.Hello:
                Assert.Null(frame.EnvelopeId);
                Assert.True(frame.NumConnections >= 1);
                break;
            case SocketModeFrame.Disconnect:
                Assert.Equal("too_many_websockets", frame.Reason);
                break;
            case SocketModeFrame.EventsApi:
                Assert.False(string.IsNullOrEmpty(frame.EnvelopeId));
                Assert.False(frame.AcceptsResponsePayload);
                Assert.Equal((0, ""), (frame.RetryAttempt, frame.RetryReason));
                var callback = SlackParser.ParseEventCallback(frame.Payload!.Value);
                Assert.Equal("T111", callback.TeamId);
                Assert.False(string.IsNullOrEmpty(callback.EventId));
                if (name.Contains("message")) Assert.Equal(("C111", "<@U111> Hi here!"), (Assert.IsType<MessageEvent>(callback.Event).Channel, ((MessageEvent)callback.Event).Text));
                else Assert.Equal("app_mention", Assert.IsType<UnknownEvent>(callback.Event).Type);
                break;
            case SocketModeFrame.SlashCommands:
                Assert.True(frame.AcceptsResponsePayload);
                var command = SlackParser.ParseSlashCommand(frame.Payload!.Value);
                Assert.StartsWith("/h", command.Command);
                Assert.Equal(("C111", "U111", "https://hooks.slack.com/commands/T111/111/xxx"), (command.ChannelId, command.UserId, command.ResponseUrl));
                break;
            case SocketModeFrame.Interactive:
                Assert.False(frame.AcceptsResponsePayload);
                var payload = SlackParser.ParseInteraction(frame.Payload!.Value);
                if (payload is GlobalShortcutPayload shortcut)
                    Assert.Equal(("do-something", "T111"), (shortcut.CallbackId, shortcut.Team!.Id));
                else
                {
                    var actions = Assert.IsType<BlockActionsPayload>(payload);
                    var action = Assert.Single(actions.Actions);
                    Assert.Equal(("a", "b", "underlying", "button"), (action.ActionId, action.BlockId, action.Value, action.Type));
                    Assert.Equal(("C111", "1605853634.000400"), (actions.Container!.ChannelId, actions.Container.MessageTs));
                    Assert.Equal("https://hooks.slack.com/actions/T111/111/xxx", actions.ResponseUrl);
                }
                break;
            default:
                Assert.Fail($"no expectation for {name} (frame type {frame.Type})");
                break;
        }
    }
}
