using System.Diagnostics;
using Dapper;
using Npgsql;

namespace Bot.LoadGen;

/// <summary>What the run left in the bot's database (tables of migrations 0001 and 0002-0003).</summary>
internal static class BenchDatabase
{

    public static async Task EnsureExists(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var name = builder.Database!;
        builder.Database = "postgres";
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        if (await connection.ExecuteScalarAsync<int?>("select 1 from pg_database where datname = @name", new { name }) is null)
            await connection.ExecuteAsync($"create database \"{name}\"");
    }

    /// <summary>Each run has a fresh fake Slack, so the bench users' DM channels a previous run's bot remembered do not
    /// exist in it: forgotten, so the bot opens them again. The uploads earlier runs' /postmortem preview probes left
    /// unsent (their fake Slack is gone) are marked sent, so their jobs do not render documents during this load.</summary>
    public static async Task ForgetEarlierRuns(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        try
        {
            await connection.ExecuteAsync("""
                delete from slack_dm_channels where user_id like 'U0BENCH%';
                update document_uploads set sent_at = now(), file_id = '' where user_id like 'U0BENCH%' and sent_at is null;
                """);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            // A new database: the bot has not migrated it yet, so no earlier run left anything.
        }
    }

    /// <summary>An open incident whose channel is the load's channel, as /incident new would leave it.</summary>
    public static async Task CreateIncident(string connectionString, string teamId, string channelId, string user)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await connection.ExecuteAsync("""
            with n as (
                insert into incident_counters (team_id, last_number) values (@teamId, 1)
                on conflict (team_id) do update set last_number = incident_counters.last_number + 1
                returning last_number)
            insert into incidents (team_id, number, title, status, commander_id, reporter_id, channel_name, created_at, channel_id)
            select @teamId, n.last_number, 'Load test', 'investigating', @user, @user, @channelName, now(), @channelId from n
            on conflict (channel_id) do nothing
            """, new { teamId, channelId, user, channelName = $"inc-bench-{channelId.ToLowerInvariant()}" });
    }

    /// <summary>The scale seed (bench/seed-scale.sql), once per database: the time it took and the disk it used.</summary>
    public static async Task Seed(string connectionString, string file, int incidents, int rows, int big)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var seeded = await connection.ExecuteScalarAsync<long>("select count(*) from incidents where team_id = 'T0SCALE'");
        var before = await connection.ExecuteScalarAsync<long>("select pg_database_size(current_database())");
        if (seeded == 0)
        {
            var sql = (await File.ReadAllTextAsync(file))
                .Replace(":incidents", incidents.ToString()).Replace(":rows", rows.ToString()).Replace(":big", big.ToString());
            Console.WriteLine($"seeding {incidents:N0} incidents and {rows:N0} timeline rows ({file}) ...");
            var clock = Stopwatch.StartNew();
            // One implicit transaction (simple protocol, several statements): a failure leaves the database as it was.
            await connection.ExecuteAsync(new CommandDefinition(sql, commandTimeout: 3600));
            Console.WriteLine($"seeded in {clock.Elapsed.TotalSeconds:0.0} s");
        }
        var after = await connection.ExecuteScalarAsync<long>("select pg_database_size(current_database())");
        var counts = await connection.QueryFirstAsync<(long Incidents, long Entries, long Events)>("""
            select (select count(*) from incidents), (select count(*) from timeline_entries), (select count(*) from slack_events_processed)
            """);
        Console.WriteLine($"database: {counts.Incidents:N0} incidents, {counts.Entries:N0} timeline rows, {counts.Events:N0} event ids; " +
            $"{after / 1048576.0:N0} MiB on disk" + (seeded == 0 ? $" ({(after - before) / 1048576.0:N0} MiB added by the seed)" : " (seeded before)"));
    }

    public sealed record Stored(long Rows, long DistinctTs, long EventsRecorded, TimeSpan Settled);

    /// <summary>Counts the timeline rows of the sent ts values until the count stops moving (rows may still
    /// be written after the last ack: handlers run after the answer).</summary>
    public static async Task<Stored> Count(string connectionString, string[] channelIds, string[] ts, string[] eventIds)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var clock = Stopwatch.StartNew();
        long last = -1;
        var stableSince = clock.Elapsed;
        while (true)
        {
            var rows = await connection.ExecuteScalarAsync<long>("""
                select count(*) from timeline_entries t join incidents i on i.id = t.incident_id
                where i.channel_id = any(@channelIds) and t.kind = 'message' and t.slack_ts = any(@ts)
                """, new { channelIds, ts });
            if (rows != last)
            {
                last = rows;
                stableSince = clock.Elapsed;
            }
            if (rows >= ts.Length || clock.Elapsed - stableSince > TimeSpan.FromSeconds(5) || clock.Elapsed > TimeSpan.FromSeconds(120))
                break;
            await Task.Delay(100);
        }
        var settled = clock.Elapsed;
        var distinct = await connection.ExecuteScalarAsync<long>("""
            select count(distinct t.slack_ts) from timeline_entries t join incidents i on i.id = t.incident_id
            where i.channel_id = any(@channelIds) and t.kind = 'message' and t.slack_ts = any(@ts)
            """, new { channelIds, ts });
        var recorded = await connection.ExecuteScalarAsync<long>(
            "select count(*) from slack_events_processed where event_id = any(@eventIds)", new { eventIds });
        return new Stored(last, distinct, recorded, settled);
    }
}
