using Bot.Database;
using Bot.Timeline;
using Dapper;

namespace Bot.Incidents;

/// <summary>The channel job's final failure, and the reporter's answer to it: retry or cancel. Each is one short
/// transaction (who may answer is AccessPolicy's, asked by the buttons first); the Slack work (telling the reporter, opening the channel again) is a job enqueued with it.</summary>
public sealed class ChannelFailures(Db db, TimeProvider time)
{
    public enum Outcome { Done, NotFailed }

    /// <summary>Records why the job stopped, once per failure (a retry clears it), and enqueues the report to the
    /// reporter. False when it was already recorded, or the incident is closed.</summary>
    public Task<bool> Record(long incidentId, string error, CancellationToken ct) =>
        db.InTransaction(async (conn, jobs) =>
        {
            var id = await conn.QuerySingleOrDefaultAsync<long?>(new CommandDefinition("""
                update incidents set channel_failed_at = @now, channel_error = @error, failure_told_at = null
                where id = @incidentId and channel_failed_at is null and resolved_at is null
                returning id
                """, new { incidentId, error, now = time.GetUtcNow() }, cancellationToken: ct));
            if (id is null) return false;
            jobs.Enqueue<ReportChannelFailureJob>(j => j.Run(incidentId, CancellationToken.None));
            return true;
        }, ct);

    /// <summary>Runs the channel job again; it resumes from its step markers, so nothing done is done twice. A
    /// second click finds the failure cleared and changes nothing.</summary>
    public Task<Outcome> Retry(long incidentId, string userId, CancellationToken ct) =>
        db.InTransaction(async (conn, jobs) =>
        {
            var outcome = await Claim(conn, incidentId, ct);
            if (outcome != Outcome.Done) return outcome;
            await conn.ExecuteAsync(new CommandDefinition(
                "update incidents set channel_failed_at = null, channel_error = null where id = @incidentId",
                new { incidentId }, cancellationToken: ct));
            jobs.Enqueue<OpenIncidentChannelJob>(j => j.Run(incidentId, CancellationToken.None));
            return Outcome.Done;
        }, ct);

    /// <summary>Closes the incident as cancelled (it leaves the Home tab and the picker; a channel already created
    /// stays, with what was said in it).</summary>
    public Task<Outcome> Cancel(long incidentId, string userId, CancellationToken ct) =>
        db.InTransaction(async (conn, jobs) =>
        {
            var outcome = await Claim(conn, incidentId, ct);
            if (outcome != Outcome.Done) return outcome;
            var now = time.GetUtcNow();
            // The row is locked since Claim: the status read here is the one being replaced.
            var from = await conn.ExecuteScalarAsync<string>(new CommandDefinition(
                "select status from incidents where id = @incidentId", new { incidentId }, cancellationToken: ct));
            await conn.ExecuteAsync(new CommandDefinition(
                "update incidents set status = 'cancelled', cancelled_at = @now, resolved_at = @now where id = @incidentId",
                new { incidentId, now }, cancellationToken: ct));
            await IncidentStore.AddEntry(conn, incidentId, EntryKinds.Status, userId, null, now, new { from, to = "cancelled" }, ct);
            await Home.HomeRefresh.RequestForIncident(conn, jobs, incidentId, now, ct);
            return Outcome.Done;
        }, ct);

    /// <summary>Locks the incident row: a retry and a cancel clicked at once are decided one after the other.</summary>
    private static async Task<Outcome> Claim(Npgsql.NpgsqlConnection conn, long incidentId, CancellationToken ct)
    {
        var id = await conn.QuerySingleOrDefaultAsync<long?>(new CommandDefinition("""
            select id from incidents
            where id = @incidentId and channel_failed_at is not null and resolved_at is null
            for update
            """, new { incidentId }, cancellationToken: ct));
        return id is null ? Outcome.NotFailed : Outcome.Done;
    }
}
