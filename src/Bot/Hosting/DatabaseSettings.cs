using Microsoft.Extensions.Configuration;
using Npgsql;

namespace Bot.Hosting;

/// <summary>Where the bot's PostgreSQL is: DATABASE_URL (postgres://user:pass@host:port/db, as Heroku,
/// Render and docker-compose files write it) or ConnectionStrings:Bot. Neither → the embedded local cluster.</summary>
public static class DatabaseSettings
{
    public const string DatabaseUrlKey = "DATABASE_URL";
    public const string ConnectionStringName = "Bot";

    /// <summary>The configured connection string, or null when none is configured.</summary>
    public static string? ConfiguredConnectionString(IConfiguration configuration)
    {
        var url = configuration[DatabaseUrlKey];
        if (!string.IsNullOrWhiteSpace(url))
            return FromUrl(url.Trim());
        var cs = configuration.GetConnectionString(ConnectionStringName);
        if (string.IsNullOrWhiteSpace(cs))
            return null;
        try
        {
            return new NpgsqlConnectionStringBuilder(cs).ConnectionString;
        }
        catch (ArgumentException e)
        {
            throw new StartupException($"ConnectionStrings:{ConnectionStringName} is not a valid Npgsql connection string: {e.Message}");
        }
    }

    /// <summary>postgres://user:pass@host:port/db?sslmode=require → Npgsql connection string.</summary>
    public static string FromUrl(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != "postgres" && uri.Scheme != "postgresql"))
            throw new StartupException($"{DatabaseUrlKey} must look like postgres://user:password@host:5432/database (got a value that is not a postgres:// URL).");
        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (string.IsNullOrEmpty(uri.Host) || string.IsNullOrEmpty(database))
            throw new StartupException($"{DatabaseUrlKey} must name a host and a database, like postgres://user:password@host:5432/database.");

        var builder = new NpgsqlConnectionStringBuilder { Host = uri.Host, Database = database };
        if (uri.Port > 0)
            builder.Port = uri.Port;
        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            var parts = uri.UserInfo.Split(':', 2);
            builder.Username = Uri.UnescapeDataString(parts[0]);
            if (parts.Length == 2)
                builder.Password = Uri.UnescapeDataString(parts[1]);
        }
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=', 2);
            var key = Uri.UnescapeDataString(kv[0]);
            var value = kv.Length == 2 ? Uri.UnescapeDataString(kv[1]) : "";
            try
            {
                // libpq names that Npgsql also understands (sslmode, application_name, ...)
                builder[key.Replace('_', ' ')] = value;
            }
            catch (ArgumentException)
            {
                throw new StartupException($"{DatabaseUrlKey} has a parameter Npgsql does not know: '{key}'.");
            }
        }
        return builder.ConnectionString;
    }
}
