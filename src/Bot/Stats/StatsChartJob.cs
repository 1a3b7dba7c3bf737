using Bot.Postmortems;
using Hangfire;

namespace Bot.Stats;

/// <summary>Draws the stats chart for one request and uploads it into the caller's DM (files.getUploadURLExternal,
/// the bytes, files.completeUploadExternal). The figures are computed again for the request's own instant, so the
/// chart matches the message; the request row makes a second run upload nothing.</summary>
[AutomaticRetry(Attempts = 3, DelaysInSeconds = [5, 30, 120])]
public sealed class StatsChartJob(StatsRequests requests, IncidentStats stats, DirectMessages dms)
{
    public async Task Run(Guid requestId, CancellationToken ct)
    {
        if (await requests.Claim(requestId, ct) is not { } request) return;
        try
        {
            var report = await stats.For(request.TeamId, request.Days, request.Until, ct);
            var png = StatsChart.Png(report);
            var file = await dms.Upload(request.UserId, StatsChart.FileName(report), png, $"Incident stats, last {request.Days} days", ct,
                comment: $"Incidents resolved in the last {request.Days} days, per month and severity, with the median time to resolve.");
            await requests.Sent(requestId, file.Id, ct);
        }
        catch
        {
            await requests.Release(requestId);
            throw;
        }
    }
}
