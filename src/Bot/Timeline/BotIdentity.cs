namespace Bot.Timeline;

/// <summary>Who the bot is in Slack (auth.test), learned once at startup so the capture path can drop
/// the bot's own messages without calling Slack.</summary>
public sealed class BotIdentity
{
    private volatile Identity? _identity;
    private readonly TaskCompletionSource<Identity> _known = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public sealed record Identity(string? UserId, string? BotId, string? TeamId);

    public Identity? Current => _identity;

    /// <summary>Completes when auth.test first answered for the token (at startup or later, BotIdentityLoader).</summary>
    public Task<Identity> Known => _known.Task;

    public void Set(string? userId, string? botId, string? teamId)
    {
        _identity = new Identity(userId, botId, teamId);
        _known.TrySetResult(_identity);
    }

    public bool IsSelf(string? user, string? botId)
    {
        var me = _identity;
        if (me is null) return false;
        return (botId is not null && botId == me.BotId) || (user is not null && user == me.UserId);
    }

    public static BotIdentity Of(string? userId, string? botId)
    {
        var b = new BotIdentity();
        b.Set(userId, botId, null);
        return b;
    }
}
