using System.Text.Json.Nodes;

namespace Bot.Slack.Testing;

public sealed partial class FakeSlack
{
    private void RegisterPins()
    {
        _handlers["pins.add"] = args =>
        {
            var channel = VisibleChannel(args.Str("channel")!);
            var ts = args.Required("timestamp", "no_item_specified");
            if (channel.MessageList.All(m => m.Ts != ts)) throw new SlackErrorException("message_not_found");
            if (!channel.MemberList.Contains(BotUserId)) throw new SlackErrorException("not_in_channel");
            if (channel.PinList.Any(p => p.MessageTs == ts)) throw new SlackErrorException("already_pinned");
            channel.PinList.Add(new FakePin(ts, Now(), BotUserId));
            var pinned = channel.MessageList.First(m => m.Ts == ts);
            Emit(channel, new JsonObject
            {
                ["type"] = "pin_added", ["user"] = BotUserId, ["channel_id"] = channel.Id,
                ["item"] = new JsonObject
                {
                    ["type"] = "message", ["channel"] = channel.Id, ["message"] = MessageJson(channel, pinned),
                    ["created"] = Now(), ["created_by"] = BotUserId,
                },
                ["item_user"] = pinned.User, ["pin_count"] = channel.PinList.Count,
            });
            return Ok();
        };
        _handlers["pins.remove"] = args =>
        {
            var channel = VisibleChannel(args.Str("channel")!);
            var ts = args.Required("timestamp", "no_item_specified");
            if (!channel.MemberList.Contains(BotUserId)) throw new SlackErrorException("not_in_channel");
            if (channel.PinList.RemoveAll(p => p.MessageTs == ts) == 0) throw new SlackErrorException("no_pin");
            return Ok();
        };
        _handlers["pins.list"] = args =>
        {
            var channel = VisibleChannel(args.Str("channel")!);
            var items = channel.PinList
                .Select(p => (Pin: p, Message: channel.MessageList.FirstOrDefault(m => m.Ts == p.MessageTs)))
                .Where(x => x.Message is not null)
                .Reverse() // most recently pinned first
                .Select(x => (JsonNode)new JsonObject
                {
                    ["type"] = "message",
                    ["created"] = x.Pin.Created,
                    ["created_by"] = x.Pin.CreatedBy,
                    ["channel"] = channel.Id,
                    ["message"] = MessageJson(channel, x.Message!),
                });
            return Ok(new JsonObject { ["items"] = new JsonArray([.. items]) });
        };
    }
}
