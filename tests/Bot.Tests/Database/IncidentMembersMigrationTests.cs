using Bot.Database;
using Bot.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Bot.Tests.Database;

/// <summary>0012 on a database that already has incidents: their members come from the reporter and the timeline.</summary>
public class IncidentMembersMigrationTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task Migration0012_BackfillsReporters_AndTheNewestJoinOrLeavePerPerson()
    {
        await using var source = NpgsqlDataSource.Create(await postgres.NewDatabase("members"));
        await new Migrator(source, "hangfire", [], NullLogger<Migrator>.Instance).Run(CancellationToken.None);
        await using var c = await source.OpenConnectionAsync();
        // As before 0012: no table yet, an incident with joins and leaves on its timeline.
        await c.ExecuteAsync("drop table incident_members");
        var id = await c.ExecuteScalarAsync<long>("""
            insert into incidents (team_id, number, title, status, commander_id, reporter_id, channel_name, is_private, created_at)
            values ('T1', 1, 'Leak', 'investigating', 'U0ADA', 'U0ADA', 'inc-leak', true, '2026-01-01T10:00Z') returning id
            """);
        await c.ExecuteAsync("""
            insert into timeline_entries (incident_id, kind, user_id, occurred_at) values
              (@id, 'joined', 'U0BOB', '2026-01-01T10:05Z'), (@id, 'left', 'U0BOB', '2026-01-01T11:00Z'),
              (@id, 'left', 'U0CAT', '2026-01-01T10:10Z'), (@id, 'joined', 'U0CAT', '2026-01-01T10:20Z')
            """, new { id });

        await c.ExecuteAsync(Migrator.LoadEmbedded().Single(m => m.Version == 12).Sql);

        var members = await c.QueryAsync<string>(
            "select user_id || ':' || is_member from incident_members where incident_id = @id order by user_id", new { id });
        Assert.Equal(["U0ADA:true", "U0BOB:false", "U0CAT:true"], members);
    }
}
