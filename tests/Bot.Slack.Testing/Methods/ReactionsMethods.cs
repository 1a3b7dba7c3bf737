using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Bot.Slack.Testing;

// Reactions and channel bookmarks: small, but the bot may use them (emoji markers, war-room links).
public sealed partial class FakeSlack
{
    private void RegisterReactions()
    {
        _handlers["reactions.add"] = args =>
        {
            var (channel, message) = ReactionTarget(args);
            var name = ReactionName(args);
            var users = message.Reactions.TryGetValue(name, out var list) ? list : message.Reactions[name] = [];
            if (users.Contains(BotUserId)) throw new SlackErrorException("already_reacted");
            if (message.Reactions.Count >= 50 && users.Count == 0) throw new SlackErrorException("too_many_emoji");
            users.Add(BotUserId);
            return Ok();
        };
        _handlers["reactions.remove"] = args =>
        {
            var (_, message) = ReactionTarget(args);
            var name = ReactionName(args);
            if (!message.Reactions.TryGetValue(name, out var users) || !users.Remove(BotUserId)) throw new SlackErrorException("no_reaction");
            if (users.Count == 0) message.Reactions.Remove(name);
            return Ok();
        };
        _handlers["reactions.get"] = args =>
        {
            var (channel, message) = ReactionTarget(args);
            var json = MessageJson(channel, message);
            return Ok(new JsonObject { ["type"] = "message", ["channel"] = channel.Id, ["message"] = json });
        };
        _handlers["bookmarks.add"] = args =>
        {
            var channel = VisibleChannel(args.Str("channel_id")!);
            if (channel.IsArchived) throw new SlackErrorException("is_archived");
            if (args.Str("type") != "link") throw new SlackErrorException("invalid_bookmark_type");
            var link = args.Str("link") ?? throw new SlackErrorException("invalid_link");
            if (!Uri.TryCreate(link, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
                throw new SlackErrorException("invalid_link");
            var bookmark = new JsonObject
            {
                ["id"] = NewId("Bk"),
                ["channel_id"] = channel.Id,
                ["title"] = args.Str("title"),
                ["link"] = link,
                ["emoji"] = args.Str("emoji") ?? "",
                ["type"] = "link",
                ["date_created"] = Now(),
                ["date_updated"] = 0,
                ["last_updated_by_user_id"] = BotUserId,
            };
            channel.BookmarkList.Add(bookmark);
            return Ok(new JsonObject { ["bookmark"] = bookmark.DeepClone() });
        };
    }

    private (FakeChannel Channel, FakeMessage Message) ReactionTarget(SlackArgs args)
    {
        var channel = VisibleChannel(args.Required("channel", "channel_not_found"));
        var ts = args.Str("timestamp") ?? throw new SlackErrorException("no_item_specified");
        var message = channel.MessageList.FirstOrDefault(m => m.Ts == ts) ?? throw new SlackErrorException("message_not_found");
        return (channel, message);
    }

    /// <summary>Slack wants the emoji name without colons.</summary>
    private static string ReactionName(SlackArgs args)
    {
        var name = args.Str("name") ?? throw new SlackErrorException("invalid_name");
        if (!Regex.IsMatch(name, "^[a-z0-9_+'-]+(::skin-tone-[2-6])?$")) throw new SlackErrorException("invalid_name");
        return name;
    }
}
