using Bot.Database;
using Bot.Incidents;
using Bot.Slack.Blocks;
using Bot.Slack.Handlers;
using Bot.Timeline;
using Dapper;

namespace Bot.Postmortems;

/// <summary><c>/incident resolve [summary]</c>: in one transaction the incident is resolved (end stamped), the change
/// goes into the timeline, the post-mortem row is created and the job that drafts it and DMs the point person is
/// enqueued. The channel is told in the command's in-channel reply.</summary>
public sealed class ResolveIncident(Db db, TimeProvider time)
{
    public const int MaxSummaryLength = 3000;

    public async Task<MessageResponse> Handle(Incident incident, string byUser, string? summary, CancellationToken ct)
    {
        if (summary is { Length: > MaxSummaryLength })
            return MessageResponse.Ephemeral($"The summary is too long (at most {MaxSummaryLength} characters).");
        var now = time.GetUtcNow();
        var resolved = await db.InTransaction(async (conn, jobs) =>
        {
            var old = await conn.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
                "select status from incidents where id = @Id and resolved_at is null for update", new { incident.Id }, cancellationToken: ct));
            if (old is null) return false;
            await conn.ExecuteAsync(new CommandDefinition(
                "update incidents set status = 'resolved', resolved_at = @now where id = @Id", new { incident.Id, now }, cancellationToken: ct));
            await IncidentStore.AddEntry(conn, incident.Id, EntryKinds.Status, byUser, summary, now, new { from = old, to = "resolved" }, ct);
            await conn.ExecuteAsync(new CommandDefinition("""
                insert into postmortems (incident_id, resolved_at, summary, point_person_id)
                values (@Id, @now, @summary, @CommanderId)
                on conflict (incident_id) do nothing
                """, new { incident.Id, now, summary, incident.CommanderId }, cancellationToken: ct));
            jobs.Enqueue<DraftPostmortemJob>(j => j.Run(incident.Id, CancellationToken.None));
            return true;
        }, ct);

        if (!resolved)
            return MessageResponse.Ephemeral("This incident is already resolved. Its post-mortem: `/postmortem help`.");
        var duration = Durations.Describe(now - new DateTimeOffset(DateTime.SpecifyKind(incident.CreatedAt, DateTimeKind.Utc)));
        var text = $":white_check_mark: Incident #{incident.Number} is *resolved* (by <@{byUser}>), after {duration}." +
                   (string.IsNullOrWhiteSpace(summary) ? "" : $"\n>{Mrkdwn.Escape(summary)}") +
                   $"\nThe post-mortem draft is being filled in from the timeline; <@{incident.CommanderId}> gets a DM to prep it and pick a meeting time.";
        return MessageResponse.InChannel(text);
    }
}
