using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Bot.Slack.Testing;

public sealed partial class FakeSlack
{
    private const int MaxChannelNameLength = 80;
    private const int MaxTopicLength = 250;

    private void RegisterConversations()
    {
        _handlers["conversations.create"] = CreateConversation;
        _handlers["conversations.info"] = args => Ok(new JsonObject
        {
            ["channel"] = ChannelJson(VisibleChannel(args.Required("channel", "channel_not_found")), args.Bool("include_num_members")),
        });
        _handlers["conversations.invite"] = Invite;
        _handlers["conversations.setTopic"] = args => SetTopicOrPurpose(args, "topic", "channel_topic", "set the channel topic", (c, v) => c.Topic = v);
        _handlers["conversations.setPurpose"] = args => SetTopicOrPurpose(args, "purpose", "channel_purpose", "set the channel description", (c, v) => c.Purpose = v);
        _handlers["conversations.members"] = Members;
        _handlers["conversations.archive"] = Archive;
        _handlers["conversations.open"] = OpenConversation;
        _handlers["conversations.history"] = History;
        _handlers["conversations.replies"] = Replies;
        _handlers["conversations.list"] = ListConversations;
        _handlers["conversations.rename"] = Rename;
        _handlers["conversations.join"] = args =>
        {
            var channel = VisibleChannel(args.Required("channel", "channel_not_found"));
            if (channel.IsPrivate || channel.IsIm) throw new SlackErrorException("method_not_supported_for_channel_type");
            if (channel.IsArchived) throw new SlackErrorException("is_archived");
            if (!channel.MemberList.Contains(BotUserId))
            {
                channel.MemberList.Add(BotUserId);
                AddSystemMessage(channel, "channel_join", BotUserId, $"<@{BotUserId}> has joined the channel");
            }
            return Ok(new JsonObject { ["channel"] = ChannelJson(channel) });
        };
    }

    /// <summary>Slack's channel name rules (create and rename).</summary>
    private string ValidChannelName(SlackArgs args)
    {
        var name = args.Str("name") ?? throw new SlackErrorException("invalid_name_required");
        if (name.Length > MaxChannelNameLength) throw new SlackErrorException("invalid_name_maxlength");
        if (!Regex.IsMatch(name, "^[a-z0-9_-]+$")) throw new SlackErrorException("invalid_name_specials",
            "[ERROR] channel names may only contain lowercase letters, numbers, hyphens, and underscores");
        if (Regex.IsMatch(name, "^[_-]+$")) throw new SlackErrorException("invalid_name_punctuation");
        if (FindChannelByName(name) is not null) throw new SlackErrorException("name_taken");
        return name;
    }

    private JsonObject CreateConversation(SlackArgs args)
    {
        var name = ValidChannelName(args);
        var channel = new FakeChannel
        {
            Gate = _gate,
            Id = NewId("C"), Name = name, IsPrivate = args.Bool("is_private"), Created = Now(), Creator = BotUserId,
        };
        channel.MemberList.Add(BotUserId);
        _channels.Add(channel);
        return Ok(new JsonObject { ["channel"] = ChannelJson(channel) });
    }

    private JsonObject ListConversations(SlackArgs args)
    {
        var types = args.List("types") is { Count: > 0 } t ? t : ["public_channel"];
        var unknown = types.Except(["public_channel", "private_channel", "mpim", "im"]).FirstOrDefault();
        if (unknown is not null) throw new SlackErrorException("invalid_types", $"[ERROR] unknown type {unknown}");
        var excludeArchived = args.Bool("exclude_archived");
        // The bot sees every public channel, and the private ones, DMs and group DMs it is in.
        var visible = _channels.Where(c =>
                (c.IsIm ? types.Contains("im") : c.IsMpim ? types.Contains("mpim") : c.IsPrivate ? types.Contains("private_channel") : types.Contains("public_channel"))
                && (!(c.IsPrivate || c.IsIm || c.IsMpim) || c.MemberList.Contains(BotUserId))
                && !(excludeArchived && c.IsArchived))
            .ToList();
        var (page, next) = Paginate(visible, args, defaultLimit: 100, maxLimit: 1000);
        return Ok(new JsonObject
        {
            ["channels"] = new JsonArray([.. page.Select(c => (JsonNode)ChannelJson(c))]),
            ["response_metadata"] = Metadata(next),
        });
    }

    private JsonObject Rename(SlackArgs args)
    {
        var channel = VisibleChannel(args.Required("channel", "channel_not_found"));
        if (channel.IsIm || channel.IsMpim) throw new SlackErrorException("method_not_supported_for_channel_type");
        if (!channel.MemberList.Contains(BotUserId)) throw new SlackErrorException("not_in_channel");
        if (channel.Creator != BotUserId) throw new SlackErrorException("not_authorized");
        if (channel.IsArchived) throw new SlackErrorException("is_archived");
        var name = ValidChannelName(args);
        var old = channel.Name;
        channel.Name = name;
        AddSystemMessage(channel, "channel_name", BotUserId, $"renamed the channel from \"{old}\" to \"{name}\"",
            e => { e["old_name"] = old; e["name"] = name; });
        Emit(channel, new JsonObject
        {
            ["type"] = "channel_rename",
            ["channel"] = new JsonObject { ["id"] = channel.Id, ["name"] = name, ["created"] = channel.Created },
        });
        return Ok(new JsonObject { ["channel"] = ChannelJson(channel) });
    }

    private JsonObject Invite(SlackArgs args)
    {
        var channel = VisibleChannel(args.Required("channel", "channel_not_found"));
        var users = args.List("users");
        if (users.Count == 0) throw new SlackErrorException("no_user");
        if (users.Count > 1000) throw new SlackErrorException("too_many_users");
        if (channel.IsIm) throw new SlackErrorException("method_not_supported_for_channel_type");
        if (channel.IsArchived) throw new SlackErrorException("is_archived");
        if (!channel.MemberList.Contains(BotUserId)) throw new SlackErrorException("not_in_channel");
        // Without force=true one bad user fails the whole call, each listed in "errors" (Slack's documented shape).
        var errors = new JsonArray();
        foreach (var user in users)
        {
            var error = user == BotUserId ? "cant_invite_self"
                : FindUser(user) is not { Deleted: false } ? "user_not_found"
                : channel.MemberList.Contains(user) ? "already_in_channel"
                : null;
            if (error is not null) errors.Add(new JsonObject { ["user"] = user, ["ok"] = false, ["error"] = error });
        }
        if (errors.Count > 0 && !args.Bool("force"))
        {
            var body = Fail(errors[0]!["error"]!.GetValue<string>());
            body["errors"] = errors;
            throw new SlackResponseException(body);
        }
        foreach (var user in users.Distinct())
        {
            if (FindUser(user) is not { Deleted: false } || channel.MemberList.Contains(user)) continue;
            channel.MemberList.Add(user);
            // Slack posts a join message into the channel and tells members about the new one.
            AddSystemMessage(channel, "channel_join", user, $"<@{user}> has joined the channel", e => e["inviter"] = BotUserId);
            Emit(channel, new JsonObject
            {
                ["type"] = "member_joined_channel", ["user"] = user, ["channel"] = channel.Id,
                ["channel_type"] = channel.IsPrivate ? "G" : "C", ["team"] = TeamId, ["inviter"] = BotUserId,
            });
        }
        var ok = Ok(new JsonObject { ["channel"] = ChannelJson(channel) });
        if (errors.Count > 0) ok["errors"] = errors;
        return ok;
    }

    private JsonObject SetTopicOrPurpose(SlackArgs args, string field, string subtype, string announcement, Action<FakeChannel, string> set)
    {
        var channel = VisibleChannel(args.Required("channel", "channel_not_found"));
        var value = args.Str(field) ?? "";
        if (value.Length > MaxTopicLength) throw new SlackErrorException("too_long");
        if (channel.IsArchived) throw new SlackErrorException("is_archived");
        if (!channel.MemberList.Contains(BotUserId)) throw new SlackErrorException("not_in_channel");
        set(channel, value);
        AddSystemMessage(channel, subtype, BotUserId, $"{announcement}: {value}", e => e[field] = value);
        return Ok(new JsonObject { ["channel"] = ChannelJson(channel) });
    }

    private JsonObject Members(SlackArgs args)
    {
        var channel = VisibleChannel(args.Required("channel", "channel_not_found"));
        var (page, next) = Paginate(channel.MemberList, args);
        return Ok(new JsonObject { ["members"] = Array(page), ["response_metadata"] = Metadata(next) });
    }

    private JsonObject Archive(SlackArgs args)
    {
        var channel = VisibleChannel(args.Required("channel", "channel_not_found"));
        if (channel.IsIm || channel.IsMpim) throw new SlackErrorException("method_not_supported_for_channel_type");
        if (channel.IsArchived) throw new SlackErrorException("already_archived");
        if (!channel.MemberList.Contains(BotUserId)) throw new SlackErrorException("not_in_channel");
        AddSystemMessage(channel, "channel_archive", BotUserId, "archived the channel");
        Emit(channel, new JsonObject { ["type"] = "channel_archive", ["channel"] = channel.Id, ["user"] = BotUserId });
        channel.IsArchived = true;
        return Ok();
    }

    private JsonObject OpenConversation(SlackArgs args)
    {
        FakeChannel channel;
        if (args.Str("channel") is { } existing)
            channel = VisibleChannel(existing);
        else
        {
            var users = args.List("users").Where(u => u != BotUserId).Distinct().ToList();
            if (users.Count == 0) throw new SlackErrorException("users_list_not_supplied");
            if (users.Count > 8) throw new SlackErrorException("too_many_users");
            var found = users.Select(u => FindUser(u) ?? throw new SlackErrorException("user_not_found")).ToList();
            channel = found.Count == 1 ? OpenIm(found[0]) : OpenMpim(found);
        }
        var json = channel.IsIm
            ? new JsonObject { ["id"] = channel.Id, ["created"] = channel.Created, ["is_im"] = true, ["user"] = channel.ImUser }
            : args.Bool("return_im") ? ChannelJson(channel) : new JsonObject { ["id"] = channel.Id };
        return Ok(new JsonObject { ["channel"] = json });
    }

    private JsonObject History(SlackArgs args)
    {
        var channel = MemberChannel(args.Required("channel", "channel_not_found"));
        var inclusive = args.Bool("inclusive");
        var oldest = TsValue(args.Str("oldest"), "invalid_ts_oldest") ?? 0m;
        var latest = TsValue(args.Str("latest"), "invalid_ts_latest") ?? decimal.MaxValue;
        var messages = channel.MessageList
            .Where(m => !m.IsReply || m.ReplyBroadcast)
            .Where(m => InRange(TsValue(m.Ts)!.Value, oldest, latest, inclusive))
            .Reverse() // newest first, as Slack answers
            .ToList();
        var (page, next) = Paginate(messages, args, defaultLimit: 100, maxLimit: 999);
        return Ok(new JsonObject
        {
            ["messages"] = new JsonArray([.. page.Select(m => (JsonNode)MessageJson(channel, m, args.Bool("include_all_metadata")))]),
            ["has_more"] = next != "",
            ["pin_count"] = channel.PinList.Count,
            ["response_metadata"] = Metadata(next),
        });
    }

    private JsonObject Replies(SlackArgs args)
    {
        var channel = MemberChannel(args.Required("channel", "channel_not_found"));
        var ts = args.Required("ts", "thread_not_found");
        var parent = channel.MessageList.FirstOrDefault(m => m.Ts == ts) ?? throw new SlackErrorException("thread_not_found");
        var rootTs = parent.IsReply ? parent.ThreadTs! : parent.Ts;
        var inclusive = args.Bool("inclusive");
        var oldest = TsValue(args.Str("oldest"), "invalid_ts_oldest") ?? 0m;
        var latest = TsValue(args.Str("latest"), "invalid_ts_latest") ?? decimal.MaxValue;
        var thread = channel.MessageList
            .Where(m => m.Ts == rootTs || m.ThreadTs == rootTs)
            .Where(m => m.Ts == rootTs || InRange(TsValue(m.Ts)!.Value, oldest, latest, inclusive))
            .ToList(); // oldest first, the parent leading
        var (page, next) = Paginate(thread, args, defaultLimit: 1000, maxLimit: 1000);
        return Ok(new JsonObject
        {
            ["messages"] = new JsonArray([.. page.Select(m => (JsonNode)MessageJson(channel, m))]),
            ["has_more"] = next != "",
            ["response_metadata"] = Metadata(next),
        });
    }

    private static bool InRange(decimal ts, decimal oldest, decimal latest, bool inclusive) =>
        inclusive ? ts >= oldest && ts <= latest : ts > oldest && ts < latest;

    private static decimal? TsValue(string? ts, string error = "invalid_ts_latest") =>
        ts is null ? null
        : decimal.TryParse(ts, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var d) ? d
        : throw new SlackErrorException(error);

    /// <summary>A channel the bot can see: public ones, and private ones it belongs to. Slack answers
    /// channel_not_found for a private channel the bot is not in, as if it did not exist.</summary>
    private FakeChannel VisibleChannel(string id)
    {
        var channel = FindChannel(id) ?? throw new SlackErrorException("channel_not_found");
        if ((channel.IsPrivate || channel.IsIm || channel.IsMpim) && !channel.MemberList.Contains(BotUserId))
            throw new SlackErrorException("channel_not_found");
        return channel;
    }

    /// <summary>Reading history needs membership even for public channels.</summary>
    private FakeChannel MemberChannel(string id)
    {
        var channel = VisibleChannel(id);
        if (!channel.MemberList.Contains(BotUserId)) throw new SlackErrorException("not_in_channel");
        return channel;
    }

    private FakeChannel OpenIm(FakeUser user)
    {
        var existing = _channels.FirstOrDefault(c => c.IsIm && c.ImUser == user.Id);
        if (existing is not null) return existing;
        var im = new FakeChannel { Gate = _gate, Id = NewId("D"), IsIm = true, ImUser = user.Id, Created = Now() };
        im.MemberList.AddRange([BotUserId, user.Id]);
        _channels.Add(im);
        return im;
    }

    private FakeChannel OpenMpim(List<FakeUser> users)
    {
        var members = users.Select(u => u.Id).Append(BotUserId).Order().ToList();
        var existing = _channels.FirstOrDefault(c => c.IsMpim && c.MemberList.Order().SequenceEqual(members));
        if (existing is not null) return existing;
        var mpim = new FakeChannel
        {
            Gate = _gate,
            Id = NewId("G"), IsMpim = true, IsPrivate = true, Created = Now(), Creator = BotUserId,
            Name = "mpdm-" + string.Join("--", users.Select(u => u.Name).Append(_options.BotName)) + "-1",
        };
        mpim.MemberList.AddRange(members);
        _channels.Add(mpim);
        return mpim;
    }

    private JsonObject ChannelJson(FakeChannel c, bool includeNumMembers = false)
    {
        if (c.IsIm)
            return new JsonObject
            {
                ["id"] = c.Id, ["created"] = c.Created, ["is_im"] = true, ["is_org_shared"] = false, ["user"] = c.ImUser,
                ["is_archived"] = false,
            };
        var json = new JsonObject
        {
            ["id"] = c.Id,
            ["name"] = c.Name,
            ["is_channel"] = !c.IsPrivate && !c.IsMpim,
            ["is_group"] = c.IsPrivate && !c.IsMpim,
            ["is_im"] = false,
            ["is_mpim"] = c.IsMpim,
            ["is_private"] = c.IsPrivate,
            ["created"] = c.Created,
            ["is_archived"] = c.IsArchived,
            ["is_general"] = false,
            ["unlinked"] = 0,
            ["name_normalized"] = c.Name,
            ["is_shared"] = false,
            ["is_org_shared"] = false,
            ["is_ext_shared"] = false,
            ["is_pending_ext_shared"] = false,
            ["is_member"] = c.MemberList.Contains(BotUserId),
            ["creator"] = c.Creator ?? "",
            ["topic"] = new JsonObject { ["value"] = c.Topic, ["creator"] = c.Topic == "" ? "" : BotUserId, ["last_set"] = c.Topic == "" ? 0 : Now() },
            ["purpose"] = new JsonObject { ["value"] = c.Purpose, ["creator"] = c.Purpose == "" ? "" : BotUserId, ["last_set"] = c.Purpose == "" ? 0 : Now() },
            ["previous_names"] = new JsonArray(),
        };
        if (includeNumMembers) json["num_members"] = c.MemberList.Count;
        return json;
    }
}

/// <summary>A handler's complete ok:false body (for errors that carry more than the code, like invite's "errors").</summary>
public sealed class SlackResponseException(JsonObject body) : Exception(body["error"]?.ToString())
{
    public JsonObject Body { get; } = body;
}
