namespace Bot.Tests.Infrastructure;

/// <summary>Class fixture: a fresh database of its own per test class, on the run's one PostgreSQL server.</summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    public string ConnectionString { get; private set; } = "";

    public async Task InitializeAsync() =>
        ConnectionString = await PostgresServer.Instance.CreateDatabase("db");

    /// <summary>Another fresh database, for a test that must start from nothing.</summary>
    public Task<string> NewDatabase(string prefix) => PostgresServer.Instance.CreateDatabase(prefix);

    public Task DisposeAsync() => Task.CompletedTask;
}
