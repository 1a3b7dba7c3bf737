using System.Text.Json.Nodes;

namespace Bot.Slack.Testing;

public sealed partial class FakeSlack
{
    private void RegisterAuth()
    {
        _handlers["api.test"] = args => Ok(new JsonObject
        {
            ["args"] = new JsonObject(args.Values.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)JsonValue.Create(args.Str(kv.Key))))),
        });
        _handlers["auth.test"] = _ => Ok(new JsonObject
        {
            ["url"] = $"https://{_options.TeamName.ToLowerInvariant().Replace(' ', '-')}.slack.com/",
            ["team"] = _options.TeamName,
            ["user"] = _options.BotName,
            ["team_id"] = TeamId,
            ["user_id"] = BotUserId,
            ["bot_id"] = BotId,
            ["app_id"] = AppId,
            ["is_enterprise_install"] = false,
        });
        _handlers["team.info"] = _ => Ok(new JsonObject
        {
            ["team"] = new JsonObject
            {
                ["id"] = TeamId,
                ["name"] = _options.TeamName,
                ["domain"] = _options.TeamName.ToLowerInvariant().Replace(' ', '-'),
            },
        });
    }
}
