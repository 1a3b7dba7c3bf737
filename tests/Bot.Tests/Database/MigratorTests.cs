using Bot.Database;
using Bot.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Bot.Tests.Database;

public class MigratorTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private static Migrator NewMigrator(NpgsqlDataSource source) =>
        new(source, "hangfire", [], NullLogger<Migrator>.Instance);

    [Fact]
    public async Task Run_OnEmptyDatabase_AppliesEveryMigrationInOrder_AndInstallsHangfire()
    {
        await using var source = NpgsqlDataSource.Create(await postgres.NewDatabase("migrate"));

        var applied = await NewMigrator(source).Run(CancellationToken.None);

        var expected = Migrator.LoadEmbedded().Select(m => m.Version).ToList();
        Assert.Equal(expected, applied.Select(m => m.Version));
        Assert.Equal(1, expected[0]);
        await using var connection = await source.OpenConnectionAsync();
        Assert.Equal(expected, await connection.QueryAsync<int>("select version from schema_migrations order by version"));
        Assert.Equal(0L, await connection.ExecuteScalarAsync<long>("select count(*) from slack_events_processed"));
        Assert.True(await connection.ExecuteScalarAsync<int>("select version from hangfire.schema") > 0);
    }

    [Fact]
    public async Task Run_Again_AppliesNothing()
    {
        await using var source = NpgsqlDataSource.Create(await postgres.NewDatabase("rerun"));
        await NewMigrator(source).Run(CancellationToken.None);

        var second = await NewMigrator(source).Run(CancellationToken.None);

        Assert.Empty(second);
    }

    [Fact]
    public async Task Run_ByTwoInstancesAtOnce_AppliesEachMigrationOnce()
    {
        var database = await postgres.NewDatabase("race");
        // Two data sources: two "instances" with their own pools.
        await using var a = NpgsqlDataSource.Create(database);
        await using var b = NpgsqlDataSource.Create(database);

        var results = await Task.WhenAll(
            Task.Run(() => NewMigrator(a).Run(CancellationToken.None)),
            Task.Run(() => NewMigrator(b).Run(CancellationToken.None)));

        var total = Migrator.LoadEmbedded().Count;
        Assert.Equal(total, results[0].Count + results[1].Count);
        Assert.Contains(results, r => r.Count == 0);
        await using var connection = await a.OpenConnectionAsync();
        Assert.Equal(total, await connection.ExecuteScalarAsync<long>("select count(*) from schema_migrations"));
        Assert.Equal(1L, await connection.ExecuteScalarAsync<long>("select count(*) from hangfire.schema"));
    }

    [Fact]
    public async Task Run_WhenAMigrationFails_NamesItAndKeepsTheEarlierOnes()
    {
        await using var source = NpgsqlDataSource.Create(await postgres.NewDatabase("broken"));
        await NewMigrator(source).Run(CancellationToken.None);
        await using var connection = await source.OpenConnectionAsync();
        var before = await connection.ExecuteScalarAsync<long>("select count(*) from schema_migrations");

        // The same table again: the first statement of migration 0001 fails.
        await connection.ExecuteAsync("delete from schema_migrations where version = 1");
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => NewMigrator(source).Run(CancellationToken.None));

        Assert.Contains("0001_slack_events_processed", error.Message);
        Assert.Equal(before - 1, await connection.ExecuteScalarAsync<long>("select count(*) from schema_migrations"));
    }

    [Fact]
    public void Parse_OrdersByNumber_AndRejectsDuplicatesAndBadNames()
    {
        var ordered = Migrator.Parse([("0002_b.sql", "select 2"), ("0001_a.sql", "select 1")]);
        Assert.Equal(["a", "b"], ordered.Select(m => m.Name));

        var duplicate = Assert.Throws<InvalidOperationException>(() => Migrator.Parse([("0001_a.sql", ""), ("0001_b.sql", "")]));
        Assert.Contains("0001", duplicate.Message);
        var badName = Assert.Throws<InvalidOperationException>(() => Migrator.Parse([("1_a.sql", "")]));
        Assert.Contains("NNNN_name.sql", badName.Message);
    }
}
