using System.Transactions;
using Hangfire;
using Npgsql;

namespace Bot.Database;

/// <summary>The bot's database: one pooled NpgsqlDataSource for the whole process, a connection per call.
/// InTransaction is the way to write a fact together with the Hangfire jobs that act on it.</summary>
public sealed class Db(NpgsqlDataSource dataSource, IBackgroundJobClient jobClient)
{
    /// <summary>An open connection for reads or single statements (autocommit).</summary>
    public ValueTask<NpgsqlConnection> OpenConnectionAsync(CancellationToken ct = default) =>
        dataSource.OpenConnectionAsync(ct);

    /// <summary>Runs <paramref name="work"/> in one database transaction; jobs enqueued through the
    /// <see cref="TransactionalJobs"/> argument commit or roll back with it.</summary>
    /// <remarks>How: an ambient TransactionScope. The app's connection enlists in it; Hangfire.PostgreSql
    /// (EnableTransactionScopeEnlistment) joins the same scope, and its connection factory hands out
    /// connections from this same data source while a scope is active. Npgsql gives a connection opened
    /// inside a scope the physical connection an earlier, now closed, connection of the same pool left
    /// enlisted there, so everything runs on one PostgreSQL session and one local transaction: no
    /// two-phase commit. TransactionalJobs closes the app's connection around each Hangfire call so
    /// that two connections are never open in the scope at once. See docs/architecture-notes.md.</remarks>
    public async Task<T> InTransaction<T>(
        Func<NpgsqlConnection, TransactionalJobs, Task<T>> work,
        CancellationToken ct = default)
    {
        if (Transaction.Current is not null)
            throw new InvalidOperationException("InTransaction does not nest: finish the outer transaction first.");

        using var scope = new TransactionScope(
            TransactionScopeOption.Required,
            new TransactionOptions { IsolationLevel = IsolationLevel.ReadCommitted, Timeout = TimeSpan.FromSeconds(30) },
            TransactionScopeAsyncFlowOption.Enabled);
        T result;
        await using (var connection = await dataSource.OpenConnectionAsync(ct))
        {
            var jobs = new TransactionalJobs(connection, jobClient);
            result = await work(connection, jobs);
        }
        scope.Complete();
        return result;
    }

    public Task InTransaction(Func<NpgsqlConnection, TransactionalJobs, Task> work, CancellationToken ct = default) =>
        InTransaction<bool>(async (connection, jobs) =>
        {
            await work(connection, jobs);
            return true;
        }, ct);
}
