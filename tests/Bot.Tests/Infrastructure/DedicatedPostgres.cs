using System.Net;
using System.Net.Sockets;
using Bot.Hosting.LocalPostgres;
using Npgsql;

namespace Bot.Tests.Infrastructure;

/// <summary>A PostgreSQL cluster of one test's own, for a test that stops and starts the server (the run's shared
/// <see cref="PostgresServer"/> serves every other class and must never go down). Same port after a restart, so
/// the app's connection string stays valid. Needs the machine's PostgreSQL binaries even when BOT_TEST_POSTGRES is set.</summary>
public sealed class DedicatedPostgres : IAsyncDisposable
{
    private readonly string _binDir;
    private readonly string _root;
    private readonly string _dataDir;
    private readonly int _port;

    private DedicatedPostgres(string binDir, string root, int port)
    {
        _binDir = binDir;
        _root = root;
        _dataDir = Path.Combine(root, "data");
        _port = port;
    }

    public string AdminConnectionString => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1", Port = _port, Username = "postgres", Database = "postgres", Pooling = false,
    }.ConnectionString;

    public static DedicatedPostgres Create()
    {
        var binDir = PostgresTools.FindBinDir()
            ?? throw new InvalidOperationException("PostgreSQL binaries not found under /usr/lib/postgresql/*/bin: this test stops and starts a server of its own.");
        var root = Directory.CreateTempSubdirectory("bot-pg-own-").FullName;
        PostgresTools.GiveToPostgresUserIfRoot(root);
        PostgresTools.Run(binDir, "initdb", ["-D", Path.Combine(root, "data"), "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8", "--locale=C"]);
        var server = new DedicatedPostgres(binDir, root, FreePort());
        server.Start();
        return server;
    }

    public void Start() => PostgresTools.Run(_binDir, "pg_ctl", [
        "-D", _dataDir, "-l", Path.Combine(_root, "server.log"), "-w", "-t", "60", "start",
        "-o", $"-p {_port} -k {_root} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200",
    ]);

    /// <summary>A clean shutdown in fast mode, as an operator's restart or a managed database's maintenance does:
    /// open sessions are terminated, new ones refused until <see cref="Start"/>.</summary>
    public void Stop() => PostgresTools.Run(_binDir, "pg_ctl", ["-D", _dataDir, "-m", "fast", "-w", "stop"]);

    public async Task<string> CreateDatabase(string name)
    {
        await using (var connection = new NpgsqlConnection(AdminConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"create database \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name, Pooling = true }.ConnectionString;
    }

    public ValueTask DisposeAsync()
    {
        PostgresTools.Run(_binDir, "pg_ctl", ["-D", _dataDir, "-m", "immediate", "-w", "stop"], throwOnError: false);
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
        return ValueTask.CompletedTask;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
