using System.Net;
using System.Net.Sockets;
using Bot.Hosting.LocalPostgres;
using Npgsql;

namespace Bot.Tests.Infrastructure;

/// <summary>One PostgreSQL server per test run: BOT_TEST_POSTGRES (a connection string for a user that
/// may create databases) when set, otherwise a throwaway cluster started from the machine's binaries
/// (initdb with trust auth, a free loopback port, the socket in a temp dir, fsync off) and stopped when
/// the test process exits. initdb and pg_ctl refuse to run as root, so as root they run as postgres.</summary>
public sealed class PostgresServer
{
    private static readonly Lazy<PostgresServer> Shared = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);

    public static PostgresServer Instance => Shared.Value;

    /// <summary>Connection string of the maintenance database, for CREATE DATABASE.</summary>
    public string AdminConnectionString { get; }

    private readonly string? _dataDir;
    private readonly string? _binDir;

    private PostgresServer(string adminConnectionString, string? dataDir, string? binDir)
    {
        AdminConnectionString = adminConnectionString;
        _dataDir = dataDir;
        _binDir = binDir;
    }

    /// <summary>A new empty database; returns its connection string.</summary>
    public async Task<string> CreateDatabase(string prefix)
    {
        var name = $"test_{Sanitize(prefix)}_{Guid.NewGuid():N}"; // at most 58 characters: PostgreSQL allows 63
        await using (var connection = new NpgsqlConnection(AdminConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"create database \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }
        // Every test database gets pools of its own (the tests' connections and each app's): idle connections are
        // closed soon, so the many databases of one run do not hold the server's connection slots between tests.
        return new NpgsqlConnectionStringBuilder(AdminConnectionString)
        {
            Database = name, Pooling = true, ConnectionIdleLifetime = 10, ConnectionPruningInterval = 2,
        }.ConnectionString;
    }

    private static string Sanitize(string prefix)
    {
        var chars = prefix.ToLowerInvariant().Where(c => char.IsAsciiLetterOrDigit(c) || c == '_').Take(20).ToArray();
        return new string(chars);
    }

    private static PostgresServer Start()
    {
        var external = Environment.GetEnvironmentVariable("BOT_TEST_POSTGRES");
        if (!string.IsNullOrWhiteSpace(external))
            return new PostgresServer(external, null, null);

        var binDir = PostgresTools.FindBinDir()
            ?? throw new InvalidOperationException("PostgreSQL binaries not found under /usr/lib/postgresql/*/bin: install Debian's postgresql package or set BOT_TEST_POSTGRES.");
        RemoveStaleClusters();
        var root = Directory.CreateTempSubdirectory("bot-pg-").FullName;
        var dataDir = Path.Combine(root, "data");
        PostgresTools.GiveToPostgresUserIfRoot(root);

        PostgresTools.Run(binDir, "initdb", ["-D", dataDir, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8", "--locale=C"]);

        // A port found free can be taken before the server binds it; try a few.
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort();
            try
            {
                PostgresTools.Run(binDir, "pg_ctl", [
                    "-D", dataDir, "-l", Path.Combine(root, "server.log"), "-w", "-t", "60", "start",
                    "-o", $"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=1000 -c shared_buffers=64MB",
                ]);
                var admin = new NpgsqlConnectionStringBuilder
                {
                    Host = "127.0.0.1", Port = port, Username = "postgres", Database = "postgres", Pooling = false,
                }.ConnectionString;
                var server = new PostgresServer(admin, dataDir, binDir);
                AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Stop(root);
                return server;
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
            }
        }
    }

    private void Stop(string root)
    {
        try
        {
            PostgresTools.Run(_binDir!, "pg_ctl", ["-D", _dataDir!, "-m", "immediate", "-w", "stop"]);
            DeleteTree(root);
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            // Exit path: nothing left to report to.
        }
    }

    /// <summary>The server's last processes may still be closing files when pg_ctl returns ("Directory not empty"):
    /// a few tries, a moment apart.</summary>
    private static void DeleteTree(string root)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                Directory.Delete(root, recursive: true);
                return;
            }
            catch (IOException) when (attempt < 10)
            {
                Thread.Sleep(100);
            }
        }
    }

    /// <summary>Clusters an earlier run could not remove (a test host killed on its way out): more than ten minutes old and
    /// with no server running in them (a younger one may be a run between its initdb and its start).</summary>
    private static void RemoveStaleClusters()
    {
        foreach (var dir in Directory.EnumerateDirectories(Path.GetTempPath(), "bot-pg-*"))
        {
            try
            {
                if (Directory.GetLastWriteTimeUtc(dir) > DateTime.UtcNow.AddMinutes(-10)) continue;
                var pidFile = Path.Combine(dir, "data", "postmaster.pid");
                if (File.Exists(pidFile) && int.TryParse(File.ReadLines(pidFile).FirstOrDefault(), out var pid) && Directory.Exists($"/proc/{pid}"))
                    continue;
                Directory.Delete(dir, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Someone else's, or going away by itself: not this run's business.
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
