using System.Diagnostics;
using Dapper;
using Npgsql;

namespace Bot.LoadGen;

/// <summary>What the run left in the bot's database (tables of migrations 0001 and 0002-0003).</summary>
internal static class BenchDatabase
{
    public const string EmbeddedDefault = "Host=127.0.0.1;Port=54329;Username=postgres;Database=bot_bench";

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
