using Bot.Slack.Handlers;
using Bot.Slack.Interactivity;

namespace Bot.Stats;

/// <summary><c>/incident stats [days]</c>, anywhere: the figures at once (one query), as an ephemeral message, and the
/// chart by a job into the caller's DM (drawing and uploading take longer than Slack's 3 seconds).</summary>
public sealed class StatsCommand(IncidentStats stats, StatsRequests requests, TimeProvider time)
{
    public async Task<MessageResponse> Handle(SlashCommand command, int days, CancellationToken ct)
    {
        if (command.TeamId is not { } team || command.UserId is not { } user)
            return MessageResponse.Ephemeral("I could not tell which workspace or person asked.");
        var now = time.GetUtcNow();
        var report = await stats.For(team, days, now, ct);
        var chart = report.All.Incidents > 0;
        if (chart) await requests.Request(team, user, days, now, ct);
        return MessageResponse.Ephemeral(StatsMessage.Summary(report), StatsMessage.Blocks(report, chart));
    }
}
