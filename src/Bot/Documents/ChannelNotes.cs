using Bot.Slack.WebApi;

namespace Bot.Documents;

/// <summary>A short note in the incident channel from a note job.</summary>
internal static class ChannelNotes
{
    /// <summary>Posts; a channel that can no longer take it (archived, gone) is logged and skipped, anything else
    /// releases the claim (<paramref name="onFailure"/>) and rethrows so Hangfire retries.</summary>
    public static async Task Post(ISlackApi slack, string channel, string text, ILogger logger, CancellationToken ct, Func<Task> onFailure)
    {
        try
        {
            await slack.Chat.PostMessage(new OutgoingMessage { Channel = channel, Text = text }, ct);
        }
        catch (SlackApiException e) when (e.Error is "channel_not_found" or "is_archived" or "not_in_channel")
        {
            logger.LogInformation("The note for channel {Channel} was not posted: {Error}", channel, e.Error);
        }
        catch
        {
            await onFailure();
            throw;
        }
    }
}
