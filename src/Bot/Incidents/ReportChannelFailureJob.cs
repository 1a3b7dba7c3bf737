using Bot.Database;
using Bot.Slack.Handlers;
using Bot.Slack.WebApi;
using Dapper;
using Hangfire;

namespace Bot.Incidents;

/// <summary>Tells the reporter that the channel could not be opened, once per failure (failure_told_at), through
/// the command's response_url while it still works, else in a DM.</summary>
public sealed class ReportChannelFailureJob(IncidentStore incidents, ISlackApi slack, Db db, TimeProvider time, ILogger<ReportChannelFailureJob> logger)
{
    [AutomaticRetry(Attempts = 5, DelaysInSeconds = [10, 60, 300, 900, 3600])]
    public async Task Run(long incidentId, CancellationToken ct)
    {
        var incident = await incidents.Get(incidentId, ct);
        // Retried or cancelled meanwhile, or told already: nothing to say.
        if (incident is not { ChannelFailedAt: not null, FailureToldAt: null, ResolvedAt: null }) return;

        var text = ChannelFailedMessage.Text(incident);
        var blocks = ChannelFailedMessage.Blocks(incident);
        if (!await ByResponseUrl(incident, text, blocks, ct))
        {
            var dm = await slack.Conversations.Open([incident.ReporterId], ct);
            await slack.Chat.PostMessage(new OutgoingMessage { Channel = dm, Text = text, Blocks = blocks }, ct);
        }

        await using var conn = await db.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(
            "update incidents set failure_told_at = @now where id = @incidentId and failure_told_at is null",
            new { incidentId, now = time.GetUtcNow() }, cancellationToken: ct));
    }

    // A response_url works for 30 minutes: a failure found later goes to a DM.
    private async Task<bool> ByResponseUrl(Incident incident, string text, IReadOnlyList<Bot.Slack.Blocks.Block> blocks, CancellationToken ct)
    {
        if (incident.ResponseUrl is null) return false;
        try
        {
            await slack.Respond(incident.ResponseUrl, MessageResponse.Ephemeral(text, blocks), ct);
            return true;
        }
        catch (Exception e) when (e is SlackApiException or HttpRequestException)
        {
            logger.LogInformation("Could not use the response_url of incident {Id}: {Message}", incident.Id, e.Message);
            return false;
        }
    }
}
