using System.Text;
using System.Text.Json.Nodes;

namespace Bot.Slack.Testing;

// Workspace state, seeding and the accessors tests assert on.
public sealed partial class FakeSlack
{
    private readonly List<FakeUser> _users = [];
    private readonly List<FakeUserGroup> _userGroups = [];
    private readonly List<FakeChannel> _channels = [];
    private readonly Dictionary<string, FakeView> _views = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FakeFile> _files = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _triggers = new(StringComparer.Ordinal);
    private int _nextId;
    private long _lastTsMicros;

    private void SeedBotUser() => _users.Add(new FakeUser
    {
        Id = _options.BotUserId, Name = _options.BotName, RealName = _options.BotName, DisplayName = _options.BotName,
        IsBot = true,
    });

    // ---- seeding ----

    public FakeUser AddUser(string id, string name, string? realName = null, string? displayName = null,
        string tz = "Etc/UTC", string? title = null, bool isBot = false, string? email = null)
    {
        var user = new FakeUser
        {
            Id = id, Name = name, RealName = realName ?? name, DisplayName = displayName ?? "", Tz = tz, Title = title,
            IsBot = isBot, Email = email,
        };
        lock (_gate)
        {
            if (_users.Any(u => u.Id == id)) throw new ArgumentException($"User {id} already exists", nameof(id));
            _users.Add(user);
        }
        return user;
    }

    public FakeUserGroup AddUserGroup(string id, string handle, string name, params string[] users)
    {
        var group = new FakeUserGroup { Id = id, Handle = handle, Name = name };
        group.Users.AddRange(users);
        lock (_gate) _userGroups.Add(group);
        return group;
    }

    /// <summary>A channel that exists before the test starts (the bot is a member unless told otherwise).</summary>
    public FakeChannel AddChannel(string name, bool isPrivate = false, bool botIsMember = true, params string[] members)
    {
        lock (_gate)
        {
            if (FindChannelByName(name) is not null) throw new ArgumentException($"Channel #{name} already exists", nameof(name));
            var channel = new FakeChannel
            {
                Gate = _gate,
                Id = NewId("C"), Name = name, IsPrivate = isPrivate, Created = Now(), Creator = members.FirstOrDefault(),
            };
            if (botIsMember) channel.MemberList.Add(BotUserId);
            channel.MemberList.AddRange(members.Where(m => m != BotUserId));
            _channels.Add(channel);
            return channel;
        }
    }

    /// <summary>A message somebody (not the bot) wrote, so history, replies and permalinks can find it.</summary>
    public FakeMessage AddMessage(string channelId, string user, string text, string? threadTs = null)
    {
        lock (_gate)
        {
            var channel = FindChannel(channelId) ?? throw new ArgumentException($"No channel {channelId}", nameof(channelId));
            var message = new FakeMessage { Channel = channel.Id, Ts = NextTs(), User = user, Text = text, ThreadTs = threadTs };
            channel.MessageList.Add(message);
            return message;
        }
    }

    /// <summary>A trigger_id that views.open accepts once, within <see cref="FakeSlackOptions.TriggerLifetime"/>.
    /// Interaction payloads in tests should carry one of these; views.open rejects made-up ids.</summary>
    public string NewTriggerId()
    {
        lock (_gate)
        {
            var id = $"{++_nextId}.{Now()}.fake{Guid.NewGuid():N}"[..40];
            _triggers[id] = _time.GetUtcNow();
            return id;
        }
    }

    // ---- accessors ----

    public IReadOnlyList<FakeUser> Users
    {
        get { lock (_gate) return [.. _users]; }
    }

    public IReadOnlyList<FakeChannel> Channels
    {
        get { lock (_gate) return [.. _channels]; }
    }

    /// <summary>A channel by name ("#incident-1" or "incident-1") or id; null when there is none.</summary>
    public FakeChannel? Channel(string nameOrId)
    {
        lock (_gate) return FindChannel(nameOrId) ?? FindChannelByName(nameOrId.TrimStart('#'));
    }

    /// <summary>What people and bots posted in the channel (top level and thread replies, not ephemeral, not
    /// Slack's own join/topic/purpose/archive messages) in ts order.</summary>
    public IReadOnlyList<FakeMessage> Messages(string channelNameOrId)
    {
        lock (_gate) return Channel(channelNameOrId) is { } c ? [.. c.MessageList.Where(m => !m.IsSystem)] : [];
    }

    /// <summary>Everything conversations.history would show, Slack's system messages included.</summary>
    public IReadOnlyList<FakeMessage> History(string channelNameOrId)
    {
        lock (_gate) return Channel(channelNameOrId) is { } c ? [.. c.MessageList] : [];
    }

    public IReadOnlyList<FakeMessage> Ephemerals(string channelNameOrId)
    {
        lock (_gate) return Channel(channelNameOrId) is { } c ? [.. c.EphemeralList] : [];
    }

    public IReadOnlyList<FakeView> Views
    {
        get { lock (_gate) return [.. _views.Values]; }
    }

    /// <summary>The Home tab published for a user, or null.</summary>
    public FakeView? HomeView(string userId)
    {
        lock (_gate) return _views.Values.LastOrDefault(v => v.UserId == userId && v.Type == "home");
    }

    /// <summary>Every file uploaded so far.</summary>
    public IReadOnlyList<FakeFile> Files
    {
        get { lock (_gate) return [.. _files.Values]; }
    }

    public FakeFile? File(string fileId)
    {
        lock (_gate) return _files.GetValueOrDefault(fileId);
    }

    /// <summary>Waits for a message in the channel (which may not exist yet) that matches.</summary>
    public Task<FakeMessage> WaitForMessage(string channelNameOrId, Func<FakeMessage, bool>? predicate = null, TimeSpan? timeout = null) =>
        WaitUntil(
            () => Messages(channelNameOrId).FirstOrDefault(m => predicate?.Invoke(m) ?? true),
            timeout,
            () => $"No matching message in {channelNameOrId}. Messages: {string.Join(" | ", Messages(channelNameOrId).Select(m => m.Text))}");

    // ---- helpers for handlers (callers hold _gate) ----

    private FakeChannel? FindChannel(string id) => _channels.FirstOrDefault(c => c.Id == id);

    private FakeChannel? FindChannelByName(string name) => _channels.FirstOrDefault(c => c.Name == name);

    private FakeUser? FindUser(string id) => _users.FirstOrDefault(u => u.Id == id);

    private string NewId(string prefix) => $"{prefix}0{++_nextId:D7}FK";

    private long Now() => _time.GetUtcNow().ToUnixTimeSeconds();

    /// <summary>Slack ts: seconds.microseconds from the clock, strictly increasing within the workspace.</summary>
    private string NextTs()
    {
        var micros = _time.GetUtcNow().ToUnixTimeMilliseconds() * 1000;
        _lastTsMicros = Math.Max(micros, _lastTsMicros + 100);
        return $"{_lastTsMicros / 1_000_000}.{_lastTsMicros % 1_000_000:D6}";
    }

    /// <summary>One page of a list, Slack style: limit + opaque cursor, next_cursor "" on the last page.</summary>
    private static (List<T> Page, string NextCursor) Paginate<T>(IReadOnlyList<T> items, SlackArgs args, int defaultLimit = 100, int maxLimit = 1000)
    {
        var limit = args.Int("limit") ?? defaultLimit;
        if (limit <= 0) limit = defaultLimit;
        limit = Math.Min(limit, maxLimit);
        var offset = 0;
        if (args.Str("cursor") is { } cursor)
        {
            string decoded;
            try
            {
                decoded = Encoding.UTF8.GetString(Convert.FromBase64String(cursor));
            }
            catch (FormatException)
            {
                throw new SlackErrorException("invalid_cursor");
            }
            if (!decoded.StartsWith("offset:", StringComparison.Ordinal) || !int.TryParse(decoded[7..], out offset)
                || offset < 0 || offset > items.Count)
                throw new SlackErrorException("invalid_cursor");
        }
        var page = items.Skip(offset).Take(limit).ToList();
        var next = offset + page.Count < items.Count
            ? Convert.ToBase64String(Encoding.UTF8.GetBytes($"offset:{offset + page.Count}"))
            : "";
        return (page, next);
    }

    private static JsonObject Metadata(string nextCursor) => new() { ["next_cursor"] = nextCursor };

    private static JsonArray Array(IEnumerable<string> values) => new([.. values.Select(v => JsonValue.Create(v))]);
}
