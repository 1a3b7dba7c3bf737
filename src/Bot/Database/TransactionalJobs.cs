using System.Linq.Expressions;
using Hangfire;
using Npgsql;

namespace Bot.Database;

/// <summary>Hangfire calls that belong to the surrounding <see cref="Db.InTransaction{T}"/>: a job
/// created here exists only if that transaction commits. Pass ids, never objects (Hangfire serializes arguments).</summary>
public sealed class TransactionalJobs
{
    private readonly NpgsqlConnection _connection;
    private readonly IBackgroundJobClient _client;

    internal TransactionalJobs(NpgsqlConnection connection, IBackgroundJobClient client)
    {
        _connection = connection;
        _client = client;
    }

    public string Enqueue<TJob>(Expression<Func<TJob, Task>> call) =>
        OnSharedConnection(() => _client.Enqueue(call));

    public string Schedule<TJob>(Expression<Func<TJob, Task>> call, DateTimeOffset runAt) =>
        OnSharedConnection(() => _client.Schedule(call, runAt));

    public string Schedule<TJob>(Expression<Func<TJob, Task>> call, TimeSpan delay) =>
        OnSharedConnection(() => _client.Schedule(call, delay));

    /// <summary>Moves the job to Deleted (a job already running still finishes: jobs re-check state).</summary>
    public bool Delete(string jobId) => OnSharedConnection(() => _client.Delete(jobId));

    // Hangfire opens its own NpgsqlConnection; while ours is open that would be a second session in
    // the transaction (Npgsql would need a two-phase commit). Closed, ours leaves its physical
    // connection enlisted in the pool, Hangfire's connection picks it up, and we pick it up again after.
    private T OnSharedConnection<T>(Func<T> call)
    {
        var wasOpen = _connection.State == System.Data.ConnectionState.Open;
        if (wasOpen)
            _connection.Close();
        try
        {
            return call();
        }
        finally
        {
            if (wasOpen)
                _connection.Open();
        }
    }
}
