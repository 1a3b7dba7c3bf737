using System.Transactions;
using Hangfire.PostgreSql;
using Npgsql;

namespace Bot.Jobs;

/// <summary>Hangfire's own pool for its polling, locks and bookkeeping (PITFALLS: keep Hangfire's
/// connections apart from the app's) — except inside Db.InTransaction, where Hangfire must write
/// on the app's enlisted physical connection, which Npgsql hands out only from the same data source.</summary>
internal sealed class HangfireConnectionFactory(NpgsqlDataSource app, HangfireDataSource hangfire) : IConnectionFactory
{
    public NpgsqlConnection GetOrCreateConnection() =>
        Transaction.Current is null ? hangfire.Source.CreateConnection() : app.CreateConnection();
}

/// <summary>Hangfire's data source, a type of its own so DI does not confuse it with the app's.</summary>
public sealed class HangfireDataSource(NpgsqlDataSource source) : IDisposable, IAsyncDisposable
{
    public NpgsqlDataSource Source => source;
    public void Dispose() => source.Dispose();
    public ValueTask DisposeAsync() => source.DisposeAsync();
}
