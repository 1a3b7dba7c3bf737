using System.Text.Json.Nodes;

namespace Bot.Slack.Testing;

public sealed partial class FakeSlack
{
    private void RegisterUsers()
    {
        _handlers["users.info"] = args =>
        {
            var user = FindUser(args.Required("user", "user_not_found")) ?? throw new SlackErrorException("user_not_found");
            return Ok(new JsonObject { ["user"] = UserJson(user) });
        };
        _handlers["users.list"] = args =>
        {
            // Slack suggests at most 200 a page and answers fewer than asked; the fake honours limit exactly.
            var (page, next) = Paginate(_users, args, defaultLimit: 100, maxLimit: 1000);
            return Ok(new JsonObject
            {
                ["members"] = new JsonArray([.. page.Select(u => (JsonNode)UserJson(u))]),
                ["cache_ts"] = Now(),
                ["response_metadata"] = Metadata(next),
            });
        };
        _handlers["users.lookupByEmail"] = args =>
        {
            var email = args.Str("email");
            var user = _users.FirstOrDefault(u => u.Email is not null && string.Equals(u.Email, email, StringComparison.OrdinalIgnoreCase))
                ?? throw new SlackErrorException("users_not_found");
            return Ok(new JsonObject { ["user"] = UserJson(user) });
        };
        _handlers["usergroups.list"] = args =>
        {
            var includeUsers = args.Bool("include_users");
            return Ok(new JsonObject
            {
                ["usergroups"] = new JsonArray([.. _userGroups.Select(g => (JsonNode)UserGroupJson(g, includeUsers))]),
            });
        };
        _handlers["usergroups.users.list"] = args =>
        {
            var group = _userGroups.FirstOrDefault(g => g.Id == args.Str("usergroup")) ?? throw new SlackErrorException("no_such_subteam");
            return Ok(new JsonObject { ["users"] = Array(group.Users) });
        };
    }

    private JsonObject UserJson(FakeUser u)
    {
        var (offset, label) = ZoneInfo(u.Tz);
        var profile = new JsonObject
        {
            ["title"] = u.Title ?? "",
            ["real_name"] = u.RealName ?? "",
            ["real_name_normalized"] = u.RealName ?? "",
            ["display_name"] = u.DisplayName ?? "",
            ["display_name_normalized"] = u.DisplayName ?? "",
            ["image_72"] = $"https://avatars.example.com/{u.Id}_72.png",
            ["team"] = TeamId,
        };
        if (u.Email is not null) profile["email"] = u.Email;
        if (u.Id == BotUserId)
        {
            profile["bot_id"] = BotId;
            profile["api_app_id"] = AppId;
        }
        return new JsonObject
        {
            ["id"] = u.Id,
            ["team_id"] = TeamId,
            ["name"] = u.Name,
            ["deleted"] = u.Deleted,
            ["real_name"] = u.RealName ?? "",
            ["tz"] = u.Tz,
            ["tz_label"] = label,
            ["tz_offset"] = offset,
            ["is_bot"] = u.IsBot,
            ["is_app_user"] = false,
            ["is_admin"] = false,
            ["is_owner"] = false,
            ["is_restricted"] = false,
            ["is_ultra_restricted"] = false,
            ["updated"] = Now(),
            ["profile"] = profile,
        };
    }

    private (int Offset, string Label) ZoneInfo(string tz)
    {
        try
        {
            var zone = TimeZoneInfo.FindSystemTimeZoneById(tz);
            var now = _time.GetUtcNow();
            return ((int)zone.GetUtcOffset(now).TotalSeconds, zone.IsDaylightSavingTime(now) ? zone.DaylightName : zone.StandardName);
        }
        catch (TimeZoneNotFoundException)
        {
            return (0, tz);
        }
    }

    private JsonObject UserGroupJson(FakeUserGroup g, bool includeUsers)
    {
        var json = new JsonObject
        {
            ["id"] = g.Id,
            ["team_id"] = TeamId,
            ["is_usergroup"] = true,
            ["name"] = g.Name,
            ["description"] = g.Description ?? "",
            ["handle"] = g.Handle,
            ["is_external"] = false,
            ["date_create"] = 0,
            ["date_update"] = 0,
            ["date_delete"] = 0,
            ["user_count"] = g.Users.Count,
        };
        if (includeUsers) json["users"] = Array(g.Users);
        return json;
    }
}
