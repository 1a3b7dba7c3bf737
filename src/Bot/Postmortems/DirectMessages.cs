using Bot.Slack.Blocks;
using Bot.Slack.WebApi;

namespace Bot.Postmortems;

/// <summary>DMs from the bot: conversations.open (finds the existing DM) then chat.postMessage.</summary>
public sealed class DirectMessages(ISlackApi slack)
{
    public async Task<PostedMessage> Send(string userId, string text, IReadOnlyList<Block>? blocks, CancellationToken ct)
    {
        var channel = await slack.Conversations.Open([userId], ct);
        return await slack.Chat.PostMessage(new OutgoingMessage { Channel = channel, Text = text, Blocks = blocks }, ct);
    }

    public async Task Upload(string userId, string filename, byte[] content, string title, CancellationToken ct)
    {
        var channel = await slack.Conversations.Open([userId], ct);
        await slack.Files.Upload(filename, content, title, channel, ct: ct);
    }
}
