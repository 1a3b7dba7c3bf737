using System.Text.Json.Nodes;

namespace Bot.Slack.Testing;

public sealed partial class FakeSlack
{
    private const int MaxBlocksPerMessage = 50;
    private const int MaxTextLength = 40_000;

    private void RegisterChat()
    {
        _handlers["chat.postMessage"] = PostMessage;
        _handlers["chat.postEphemeral"] = PostEphemeral;
        _handlers["chat.update"] = UpdateMessage;
        _handlers["chat.delete"] = DeleteMessage;
        _handlers["chat.getPermalink"] = GetPermalink;
    }

    private JsonObject PostMessage(SlackArgs args)
    {
        var channel = ChannelToPostTo(args.Required("channel", "channel_not_found"));
        // A public channel takes posts from members only, unless the token has chat:write.public.
        if (!channel.MemberList.Contains(BotUserId) && !Granted(ChatWritePublic)) throw new SlackErrorException("not_in_channel");
        var (text, blocks, attachments) = MessageContent(args, requireContent: true);
        var threadTs = args.Str("thread_ts");
        if (threadTs is not null && channel.MessageList.FirstOrDefault(m => m.Ts == threadTs) is { ThreadTs: { } root })
            threadTs = root; // a reply to a reply lands in the parent's thread
        var message = new FakeMessage
        {
            Channel = channel.Id, Ts = NextTs(), User = BotUserId, BotId = BotId, Text = text, Blocks = blocks,
            Attachments = attachments, ThreadTs = threadTs, ReplyBroadcast = threadTs is not null && args.Bool("reply_broadcast"),
            Metadata = MessageMetadata(args),
        };
        channel.MessageList.Add(message);
        EmitMessage(channel, message);
        return Ok(new JsonObject { ["channel"] = channel.Id, ["ts"] = message.Ts, ["message"] = MessageJson(channel, message) });
    }

    private JsonObject PostEphemeral(SlackArgs args)
    {
        var channel = ChannelToPostTo(args.Required("channel", "channel_not_found"));
        var user = FindUser(args.Required("user", "user_not_found")) ?? throw new SlackErrorException("user_not_found");
        if (!channel.IsIm && !channel.MemberList.Contains(user.Id)) throw new SlackErrorException("user_not_in_channel");
        var (text, blocks, attachments) = MessageContent(args, requireContent: true);
        var message = new FakeMessage
        {
            Channel = channel.Id, Ts = NextTs(), User = BotUserId, BotId = BotId, Text = text, Blocks = blocks,
            Attachments = attachments, ThreadTs = args.Str("thread_ts"), EphemeralTo = user.Id,
        };
        channel.EphemeralList.Add(message);
        return Ok(new JsonObject { ["message_ts"] = message.Ts });
    }

    private JsonObject UpdateMessage(SlackArgs args)
    {
        var channel = VisibleChannel(args.Required("channel", "channel_not_found"));
        var message = channel.MessageList.FirstOrDefault(m => m.Ts == args.Str("ts")) ?? throw new SlackErrorException("message_not_found");
        if (message.BotId != BotId) throw new SlackErrorException("cant_update_message");
        if (channel.IsArchived) throw new SlackErrorException("is_archived");
        var (text, blocks, attachments) = MessageContent(args, requireContent: true);
        var previous = MessageJson(channel, message);
        // Slack keeps the previous blocks/attachments when the update leaves them out (an empty array clears them).
        if (text is not null) message.Text = text;
        if (blocks is not null) message.Blocks = blocks is JsonArray { Count: 0 } ? null : blocks;
        if (attachments is not null) message.Attachments = attachments;
        message.EditedTs = NextTs();
        Emit(channel, new JsonObject
        {
            ["type"] = "message", ["subtype"] = "message_changed", ["hidden"] = true, ["channel"] = channel.Id,
            ["ts"] = message.EditedTs, ["message"] = MessageJson(channel, message), ["previous_message"] = previous,
            ["channel_type"] = ChannelType(channel),
        });
        return Ok(new JsonObject
        {
            ["channel"] = channel.Id, ["ts"] = message.Ts, ["text"] = message.Text ?? "", ["message"] = MessageJson(channel, message),
        });
    }

    private JsonObject DeleteMessage(SlackArgs args)
    {
        var channel = VisibleChannel(args.Required("channel", "channel_not_found"));
        var message = channel.MessageList.FirstOrDefault(m => m.Ts == args.Str("ts")) ?? throw new SlackErrorException("message_not_found");
        if (message.BotId != BotId) throw new SlackErrorException("cant_delete_message");
        var previous = MessageJson(channel, message);
        channel.MessageList.Remove(message);
        Emit(channel, new JsonObject
        {
            ["type"] = "message", ["subtype"] = "message_deleted", ["hidden"] = true, ["channel"] = channel.Id,
            ["ts"] = NextTs(), ["deleted_ts"] = message.Ts, ["previous_message"] = previous, ["channel_type"] = ChannelType(channel),
        });
        return Ok(new JsonObject { ["channel"] = channel.Id, ["ts"] = message.Ts });
    }

    private JsonObject GetPermalink(SlackArgs args)
    {
        var channel = VisibleChannel(args.Str("channel")!);
        var message = channel.MessageList.FirstOrDefault(m => m.Ts == args.Str("message_ts"))
            ?? throw new SlackErrorException("message_not_found");
        return Ok(new JsonObject { ["channel"] = channel.Id, ["permalink"] = Permalink(channel, message) });
    }

    /// <summary>What Slack takes for a message: text and/or blocks and/or attachments, with Block Kit's limits.</summary>
    private static (string? Text, JsonNode? Blocks, JsonNode? Attachments) MessageContent(SlackArgs args, bool requireContent)
    {
        var text = args.Str("text");
        var blocks = args.Json("blocks", "invalid_blocks_format");
        var attachments = args.Json("attachments", "invalid_attachments");
        if (blocks is not null) ValidateBlocks(blocks, MaxBlocksPerMessage, "invalid_blocks");
        if (attachments is not null and not JsonArray) throw new SlackErrorException("invalid_attachments");
        if (requireContent && text is null && blocks is null && attachments is null) throw new SlackErrorException("no_text");
        if (text is { Length: > MaxTextLength }) throw new SlackErrorException("msg_too_long");
        return (text, blocks, attachments);
    }

    /// <summary>What Slack would refuse in a message's blocks (an app's command reply or response_url post, which
    /// never reach the Web API): empty when they are fine.</summary>
    public static IReadOnlyList<string> BlockProblems(JsonArray blocks) => BlockKitRules.Check(blocks, "/blocks", MaxBlocksPerMessage);

    /// <summary>Blocks must be an array within Block Kit's limits (<see cref="BlockKitRules"/>).</summary>
    private static void ValidateBlocks(JsonNode blocks, int max, string error, string pointer = "/blocks")
    {
        if (blocks is not JsonArray array) throw new SlackErrorException("invalid_blocks_format", "[ERROR] blocks must be an array");
        var problems = BlockKitRules.Check(array, pointer, max);
        if (problems.Count > 0) throw new SlackErrorException(error, [.. problems]);
    }

    /// <summary>chat.postMessage's channel: an id, a #name, or a user id (the bot's DM with that user).</summary>
    private FakeChannel ChannelToPostTo(string channelArg)
    {
        FakeChannel channel;
        if (channelArg.StartsWith('U') || channelArg.StartsWith('W'))
            channel = OpenIm(FindUser(channelArg) ?? throw new SlackErrorException("channel_not_found"));
        else
            channel = FindChannel(channelArg) ?? FindChannelByName(channelArg.TrimStart('#')) ?? throw new SlackErrorException("channel_not_found");
        if (channel.IsPrivate && !channel.MemberList.Contains(BotUserId)) throw new SlackErrorException("channel_not_found");
        if (channel.IsArchived) throw new SlackErrorException("is_archived");
        return channel;
    }

    private string Permalink(FakeChannel channel, FakeMessage message)
    {
        var url = $"https://{_options.TeamName.ToLowerInvariant().Replace(' ', '-')}.slack.com/archives/{channel.Id}/p{message.Ts.Replace(".", "")}";
        return message.IsReply ? $"{url}?thread_ts={message.ThreadTs}&cid={channel.Id}" : url;
    }

    /// <summary>Slack's message metadata: an object (or its JSON text) with event_type (letters, digits, underscores)
    /// and an event_payload object; anything else is invalid_metadata_format.</summary>
    private static JsonNode? MessageMetadata(SlackArgs args)
    {
        if (!args.Has("metadata")) return null;
        var meta = args.Json("metadata", "invalid_metadata_format") as JsonObject;
        if (meta?["event_type"] is not JsonValue type || type.GetValueKind() != System.Text.Json.JsonValueKind.String
            || !System.Text.RegularExpressions.Regex.IsMatch(type.GetValue<string>(), "^[a-zA-Z0-9_]+$")
            || meta["event_payload"] is not JsonObject)
            throw new SlackErrorException("invalid_metadata_format");
        return meta.DeepClone();
    }

    /// <param name="withMetadata">conversations.history's include_all_metadata.</param>
    private JsonObject MessageJson(FakeChannel channel, FakeMessage m, bool withMetadata)
    {
        var json = MessageJson(channel, m);
        if (withMetadata && m.Metadata is not null) json["metadata"] = m.Metadata.DeepClone();
        return json;
    }

    private JsonObject MessageJson(FakeChannel channel, FakeMessage m)
    {
        var json = new JsonObject { ["type"] = "message" };
        if (m.Subtype is not null) json["subtype"] = m.Subtype;
        json["text"] = m.Text ?? "";
        if (m.User is not null) json["user"] = m.User;
        if (m.BotId is not null)
        {
            json["bot_id"] = m.BotId;
            json["app_id"] = AppId;
        }
        json["ts"] = m.Ts;
        json["team"] = TeamId;
        if (m.Blocks is not null) json["blocks"] = m.Blocks.DeepClone();
        if (m.Attachments is not null) json["attachments"] = m.Attachments.DeepClone();
        if (m.EditedTs is not null) json["edited"] = new JsonObject { ["user"] = m.User, ["ts"] = m.EditedTs };
        if (m.Reactions.Count > 0)
            json["reactions"] = new JsonArray([.. m.Reactions.Select(r => (JsonNode)new JsonObject
            {
                ["name"] = r.Key, ["users"] = Array(r.Value), ["count"] = r.Value.Count,
            })]);
        if (m.FileIds.Count > 0)
            json["files"] = new JsonArray([.. m.FileIds.Select(id => (JsonNode)FileJson(_files[id]))]);
        if (m.ThreadTs is not null)
        {
            json["thread_ts"] = m.ThreadTs;
            if (m.IsReply)
            {
                var parent = channel.MessageList.FirstOrDefault(p => p.Ts == m.ThreadTs);
                if (parent?.User is not null) json["parent_user_id"] = parent.User;
            }
        }
        var replies = channel.MessageList.Where(r => r.IsReply && r.ThreadTs == m.Ts).ToList();
        if (replies.Count > 0)
        {
            json["thread_ts"] = m.Ts;
            json["reply_count"] = replies.Count;
            json["reply_users"] = Array(replies.Select(r => r.User ?? "").Distinct());
            json["reply_users_count"] = replies.Select(r => r.User).Distinct().Count();
            json["latest_reply"] = replies[^1].Ts;
        }
        return json;
    }
}
