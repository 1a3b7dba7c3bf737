using System.Text.RegularExpressions;
using Dapper;
using Hangfire.PostgreSql;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Bot.Database;

/// <summary>Applies the embedded Database/Migrations/NNNN_name.sql files in order, each in its own
/// transaction, recorded in schema_migrations; then installs Hangfire's schema and runs the
/// registered <see cref="IStartupUnderLock"/> tasks. All of it under one session-level advisory lock,
/// so instances starting together take turns instead of colliding (Hangfire.PostgreSql#67, #425).</summary>
public sealed partial class Migrator(
    NpgsqlDataSource dataSource,
    string hangfireSchema,
    IEnumerable<IStartupUnderLock> startupTasks,
    ILogger<Migrator> logger)
{
    /// <summary>Arbitrary but fixed: every bot instance must use the same key.</summary>
    public const long AdvisoryLockKey = 0x626f745f6d696772; // "bot_migr"

    public sealed record Migration(int Version, string Name, string Sql);

    public async Task<IReadOnlyList<Migration>> Run(CancellationToken ct)
    {
        var migrations = LoadEmbedded();
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await connection.ExecuteAsync("select pg_advisory_lock(@key)", new { key = AdvisoryLockKey });
        try
        {
            await connection.ExecuteAsync("""
                create table if not exists schema_migrations (
                    version    integer primary key,
                    name       text not null,
                    applied_at timestamptz not null default now()
                )
                """);
            var applied = (await connection.QueryAsync<int>("select version from schema_migrations")).ToHashSet();
            var done = new List<Migration>();
            foreach (var migration in migrations.Where(m => !applied.Contains(m.Version)))
            {
                await using var tx = await connection.BeginTransactionAsync(ct);
                try
                {
                    await connection.ExecuteAsync(migration.Sql, transaction: tx);
                }
                catch (PostgresException e)
                {
                    throw new InvalidOperationException($"Migration {migration.Version:D4}_{migration.Name} failed: {e.MessageText}", e);
                }
                await connection.ExecuteAsync(
                    "insert into schema_migrations (version, name) values (@Version, @Name)",
                    new { migration.Version, migration.Name }, tx);
                await tx.CommitAsync(ct);
                logger.LogInformation("Applied migration {Version:D4}_{Name}", migration.Version, migration.Name);
                done.Add(migration);
            }

            PostgreSqlObjectsInstaller.Install(connection, hangfireSchema);

            foreach (var task in startupTasks)
                await task.Run(connection, ct);
            return done;
        }
        finally
        {
            await connection.ExecuteAsync("select pg_advisory_unlock(@key)", new { key = AdvisoryLockKey });
        }
    }

    public static IReadOnlyList<Migration> LoadEmbedded()
    {
        const string prefix = "Bot.Database.Migrations.";
        var assembly = typeof(Migrator).Assembly;
        var files = new List<(string FileName, string Sql)>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            files.Add((resource[prefix.Length..], reader.ReadToEnd()));
        }
        return Parse(files);
    }

    /// <summary>Orders migrations by number; a badly named file or a number used twice fails at startup.</summary>
    public static IReadOnlyList<Migration> Parse(IEnumerable<(string FileName, string Sql)> files)
    {
        var migrations = new List<Migration>();
        foreach (var (fileName, sql) in files)
        {
            var match = FileNamePattern().Match(fileName);
            if (!match.Success)
                throw new InvalidOperationException($"Migration '{fileName}' must be named NNNN_name.sql.");
            migrations.Add(new Migration(int.Parse(match.Groups[1].Value), match.Groups[2].Value, sql));
        }
        var duplicate = migrations.GroupBy(m => m.Version).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new InvalidOperationException(
                $"Two migrations have number {duplicate.Key:D4}: {string.Join(", ", duplicate.Select(m => m.Name))}.");
        return migrations.OrderBy(m => m.Version).ToList();
    }

    [GeneratedRegex(@"^(\d{4})_([A-Za-z0-9_]+)\.sql$")]
    private static partial Regex FileNamePattern();
}

/// <summary>Work that must happen once per start and never concurrently across instances, such as
/// declaring recurring Hangfire jobs (concurrent AddOrUpdate fails, Hangfire.PostgreSql#73).
/// Runs after migrations, under the migration lock, on the lock's connection.</summary>
public interface IStartupUnderLock
{
    Task Run(NpgsqlConnection connection, CancellationToken ct);
}
