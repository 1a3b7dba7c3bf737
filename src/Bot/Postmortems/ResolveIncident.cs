using Bot.Database;
using Bot.Incidents;
using Bot.Slack.Blocks;
using Bot.Slack.Handlers;
using Bot.Timeline;
using Dapper;

namespace Bot.Postmortems;

/// <summary><c>/incident resolve [summary]</c>: in one transaction the incident is resolved (end stamped), the change
/// goes into the timeline, the post-mortem row is created and the job that drafts it and DMs the point person is
/// enqueued, with the topic update. The channel is told in the command's in-channel reply.</summary>
public sealed class ResolveIncident(Db db, TimeProvider time)
{
    private enum Outcome { Resolved, ResolvedAgain, AlreadyResolved }

    public const int MaxSummaryLength = 3000;

    public async Task<MessageResponse> Handle(Incident incident, string byUser, string? summary, CancellationToken ct)
    {
        if (summary is { Length: > MaxSummaryLength })
            return MessageResponse.Ephemeral($"The summary is too long (at most {MaxSummaryLength} characters).");
        var now = time.GetUtcNow();
        var outcome = await db.InTransaction(async (conn, jobs) =>
        {
            var old = await conn.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
                "select status from incidents where id = @Id and resolved_at is null for update", new { incident.Id }, cancellationToken: ct));
            if (old is null) return Outcome.AlreadyResolved;
            await conn.ExecuteAsync(new CommandDefinition(
                "update incidents set status = 'resolved', resolved_at = @now where id = @Id", new { incident.Id, now }, cancellationToken: ct));
            await IncidentStore.AddEntry(conn, incident.Id, EntryKinds.Status, byUser, summary, now, new { from = old, to = "resolved" }, ct);
            // Resolved again after /incident reopen: the post-mortem keeps its point person, DM and meeting, and takes
            // the new end (and the new summary, when one is given); the job below refreshes the draft.
            var first = await conn.ExecuteScalarAsync<bool>(new CommandDefinition("""
                insert into postmortems (incident_id, resolved_at, summary, point_person_id)
                values (@Id, @now, @summary, @CommanderId)
                on conflict (incident_id) do update
                    set resolved_at = excluded.resolved_at, summary = coalesce(excluded.summary, postmortems.summary)
                returning xmax = 0
                """, new { incident.Id, now, summary, incident.CommanderId }, cancellationToken: ct));
            jobs.Enqueue<DraftPostmortemJob>(j => j.Run(incident.Id, CancellationToken.None));
            jobs.Enqueue<UpdateTopicJob>(j => j.Run(incident.Id, CancellationToken.None));
            // It leaves "Your open incidents" of everyone in it.
            await Home.HomeRefresh.RequestForIncident(conn, jobs, incident.Id, now, ct);
            return first ? Outcome.Resolved : Outcome.ResolvedAgain;
        }, ct);

        if (outcome == Outcome.AlreadyResolved)
            return MessageResponse.Ephemeral(
                $"This incident is already resolved. Its post-mortem: `/postmortem help`. To reopen it: `{Usage.Reopen}`.");
        var duration = Durations.Describe(now - new DateTimeOffset(DateTime.SpecifyKind(incident.CreatedAt, DateTimeKind.Utc)));
        var text = $":white_check_mark: Incident #{incident.Number} is *resolved* (by <@{byUser}>), after {duration}." +
                   TimelineText.Quote(summary) +
                   (outcome == Outcome.Resolved
                       ? $"\nThe post-mortem draft is being filled in from the timeline; <@{incident.CommanderId}> gets a DM to prep it and pick a meeting time."
                       : "\nThe post-mortem keeps its point person and meeting; its end time is now, and the draft is refreshed from the timeline.");
        return MessageResponse.InChannel(text);
    }
}
