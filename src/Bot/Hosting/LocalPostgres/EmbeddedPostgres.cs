using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Bot.Hosting.LocalPostgres;

/// <summary>The zero-setup default: with no database configured, the bot starts (or reuses) a PostgreSQL
/// cluster in .data/postgres of the checkout, from the machine's PostgreSQL binaries, with trust auth on
/// loopback only, and uses its database "bot". The cluster keeps running after the bot stops, so the
/// next start is instant; `pg_ctl -D .data/postgres stop` stops it.</summary>
internal static class EmbeddedPostgres
{
    public const int PreferredPort = 54329;
    public const string DatabaseName = "bot";

    public static string Start(string dataRoot)
    {
        var binDir = PostgresTools.FindBinDir() ?? throw new StartupException(
            $"No database configured and no PostgreSQL found in /usr/lib/postgresql/*/bin: set {DatabaseSettings.DatabaseUrlKey} (postgres://user:password@host:5432/bot) or install PostgreSQL (apt-get install postgresql).");

        var dataDir = Path.Combine(dataRoot, "postgres");
        // Unix socket paths are limited to ~107 bytes; a deep checkout falls back to the temp folder.
        var socketDir = Path.Combine(dataRoot, "run");
        if (socketDir.Length > 80)
            socketDir = Path.Combine(Path.GetTempPath(), $"bot-pg-{Environment.UserName}");
        Directory.CreateDirectory(dataRoot);
        Directory.CreateDirectory(socketDir);
        // The server runs as postgres when we are root: it must be able to reach its folders.
        PostgresTools.GiveToPostgresUserIfRoot(dataRoot);

        try
        {
            var port = RunningPort(binDir, dataDir) ?? StartCluster(binDir, dataRoot, dataDir, socketDir);
            var admin = new NpgsqlConnectionStringBuilder
            {
                Host = "127.0.0.1", Port = port, Username = "postgres", Database = "postgres", Pooling = false, Timeout = 10,
            };
            EnsureDatabase(admin.ConnectionString);
            Console.WriteLine($"Using embedded PostgreSQL {Path.GetFileName(Path.GetDirectoryName(binDir))} at 127.0.0.1:{port}, database '{DatabaseName}' (data in {dataDir}); set {DatabaseSettings.DatabaseUrlKey} to use another server.");
            return new NpgsqlConnectionStringBuilder(admin.ConnectionString) { Database = DatabaseName, Pooling = true }.ConnectionString;
        }
        catch (Exception e) when (e is InvalidOperationException or NpgsqlException or IOException or UnauthorizedAccessException)
        {
            throw new StartupException($"Could not start the embedded PostgreSQL in {dataDir} (see {Path.Combine(dataRoot, "postgres.log")}): {FirstLine(e.Message)}");
        }
    }

    /// <summary>The port of a cluster already running from this data folder, read from postmaster.pid.</summary>
    private static int? RunningPort(string binDir, string dataDir)
    {
        if (!File.Exists(Path.Combine(dataDir, "postmaster.pid")))
            return null;
        var (exit, _) = PostgresTools.Run(binDir, "pg_ctl", ["-D", dataDir, "status"], throwOnError: false);
        if (exit != 0)
            return null;
        var lines = File.ReadAllLines(Path.Combine(dataDir, "postmaster.pid"));
        return lines.Length > 3 && int.TryParse(lines[3], out var port) ? port : null;
    }

    private static int StartCluster(string binDir, string dataRoot, string dataDir, string socketDir)
    {
        if (!File.Exists(Path.Combine(dataDir, "PG_VERSION")))
        {
            Directory.CreateDirectory(dataDir);
            PostgresTools.GiveToPostgresUserIfRoot(dataDir);
            PostgresTools.Run(binDir, "initdb", ["-D", dataDir, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C"]);
        }
        PostgresTools.GiveToPostgresUserIfRoot(dataDir);
        PostgresTools.GiveToPostgresUserIfRoot(socketDir);
        var log = Path.Combine(dataRoot, "postgres.log");
        if (PostgresTools.IsRoot && !File.Exists(log))
        {
            File.WriteAllText(log, "");
            PostgresTools.GiveToPostgresUserIfRoot(log);
        }

        var port = IsFree(PreferredPort) ? PreferredPort : FreePort();
        PostgresTools.Run(binDir, "pg_ctl", [
            "-D", dataDir, "-l", log, "-w", "-t", "60", "start",
            "-o", $"-p {port} -k {socketDir} -c listen_addresses=127.0.0.1",
        ]);
        return port;
    }

    private static void EnsureDatabase(string adminConnectionString)
    {
        using var connection = new NpgsqlConnection(adminConnectionString);
        connection.Open();
        using var exists = new NpgsqlCommand("select 1 from pg_database where datname = @name", connection);
        exists.Parameters.AddWithValue("name", DatabaseName);
        if (exists.ExecuteScalar() is null)
        {
            using var create = new NpgsqlCommand($"create database \"{DatabaseName}\"", connection);
            create.ExecuteNonQuery();
        }
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();

    /// <summary>.data of the checkout (the folder holding Bot.sln, found upwards from the app or the
    /// working directory); without a checkout (a container), .data in the working directory.</summary>
    public static string DefaultDataRoot()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Bot.sln")))
                    return Path.Combine(dir.FullName, ".data");
            }
        }
        return Path.Combine(Directory.GetCurrentDirectory(), ".data");
    }
}
