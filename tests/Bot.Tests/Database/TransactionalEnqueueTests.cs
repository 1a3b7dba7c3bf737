using Bot.Database;
using Bot.Tests.Infrastructure;
using Dapper;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Bot.Tests.Database;

/// <summary>The contract features build on: a job enqueued in Db.InTransaction exists only if the
/// transaction commits, and runs once it has.</summary>
public sealed class TransactionalEnqueueTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>, IAsyncLifetime
{
    private BotApp _app = null!;

    public async Task InitializeAsync()
    {
        _app = await BotApp.Start(postgres.ConnectionString, "http://127.0.0.1:9/api/");
        await using var connection = await Db.OpenConnectionAsync();
        await connection.ExecuteAsync("""
            create table if not exists test_facts (id text primary key);
            create table if not exists test_job_runs (fact_id text not null, ran_at timestamptz not null default now());
            """);
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private Db Db => _app.Services.GetRequiredService<Db>();

    [Fact]
    public async Task Commit_JobRunsAfterwards()
    {
        var id = Guid.NewGuid().ToString("N");

        var jobId = await Db.InTransaction(async (connection, jobs) =>
        {
            await connection.ExecuteAsync("insert into test_facts (id) values (@id)", new { id });
            return jobs.Enqueue<RecordRunJob>(j => j.Run(id));
        });

        Assert.False(string.IsNullOrEmpty(jobId));
        var runs = await Poll.Until(() => CountRuns(id), n => n > 0, what: "the job to run");
        Assert.Equal(1, runs);
    }

    [Fact]
    public async Task Rollback_LeavesNeitherFactNorJob()
    {
        var id = Guid.NewGuid().ToString("N");
        string? jobId = null;

        await Assert.ThrowsAsync<InvalidOperationException>(() => Db.InTransaction(async (connection, jobs) =>
        {
            await connection.ExecuteAsync("insert into test_facts (id) values (@id)", new { id });
            jobId = jobs.Enqueue<RecordRunJob>(j => j.Run(id));
            throw new InvalidOperationException("the handler failed after enqueueing");
        }));

        Assert.NotNull(jobId);
        await using var connection = await Db.OpenConnectionAsync();
        Assert.Equal(0L, await connection.ExecuteScalarAsync<long>("select count(*) from test_facts where id = @id", new { id }));
        Assert.Equal(0L, await connection.ExecuteScalarAsync<long>(
            $"select count(*) from {_app.HangfireSchema}.job where id = @id", new { id = long.Parse(jobId!) }));
        Assert.Null(JobStorage().GetConnection().GetJobData(jobId!));
    }

    [Fact]
    public async Task Enqueue_UsesTheSameSessionAndTransaction_WithoutTwoPhaseCommit()
    {
        var id = Guid.NewGuid().ToString("N");
        await using var outside = await Db.OpenConnectionAsync();

        var (pidBefore, pidAfter, seenInside, seenOutside) = await Db.InTransaction(async (connection, jobs) =>
        {
            await connection.ExecuteAsync("insert into test_facts (id) values (@id)", new { id });
            var before = await connection.ExecuteScalarAsync<int>("select pg_backend_pid()");
            var job = long.Parse(jobs.Enqueue<RecordRunJob>(j => j.Run(id)));
            var after = await connection.ExecuteScalarAsync<int>("select pg_backend_pid()");
            var inside = await connection.ExecuteScalarAsync<long>($"select count(*) from {_app.HangfireSchema}.job where id = @job", new { job });
            var outsideCount = await outside.ExecuteScalarAsync<long>($"select count(*) from {_app.HangfireSchema}.job where id = @job", new { job });
            return (before, after, inside, outsideCount);
        });

        Assert.Equal(pidBefore, pidAfter);
        Assert.Equal(1L, seenInside);
        Assert.Equal(0L, seenOutside); // not committed yet while we were inside
        Assert.Equal(0L, await outside.ExecuteScalarAsync<long>("select count(*) from pg_prepared_xacts"));
        await Poll.Until(() => CountRuns(id), n => n == 1, what: "the job to run");
    }

    [Fact]
    public async Task Schedule_InTransaction_RunsWhenDue()
    {
        var id = Guid.NewGuid().ToString("N");

        await Db.InTransaction(async (connection, jobs) =>
        {
            await connection.ExecuteAsync("insert into test_facts (id) values (@id)", new { id });
            jobs.Schedule<RecordRunJob>(j => j.Run(id), TimeSpan.FromSeconds(1));
        });

        Assert.Equal(0, await CountRuns(id));
        Assert.Equal(1, await Poll.Until(() => CountRuns(id), n => n > 0, what: "the scheduled job"));
    }

    [Fact]
    public async Task InTransaction_DoesNotNest()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            Db.InTransaction((_, _) => Db.InTransaction((_, _) => Task.CompletedTask)));
        Assert.Contains("does not nest", error.Message);
    }

    private JobStorage JobStorage() => _app.Services.GetRequiredService<JobStorage>();

    private async Task<int> CountRuns(string id)
    {
        await using var connection = await Db.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<int>("select count(*)::int from test_job_runs where fact_id = @id", new { id });
    }
}

/// <summary>A job as features write them: takes an id, re-reads state, records what it did.</summary>
public sealed class RecordRunJob(NpgsqlDataSource dataSource)
{
    public async Task Run(string factId)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await connection.ExecuteAsync("""
            insert into test_job_runs (fact_id) select id from test_facts where id = @factId
            """, new { factId });
    }
}
