using System.Diagnostics;

namespace Bot.Tests.Infrastructure;

/// <summary>The machine's PostgreSQL server programs; as root they run through runuser as postgres.</summary>
internal static class PostgresBinaries
{
    public static string? Find() =>
        Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => Path.Combine(d, "bin"))
                .Where(b => File.Exists(Path.Combine(b, "initdb")))
                .OrderByDescending(b => int.TryParse(Path.GetFileName(Path.GetDirectoryName(b)), out var v) ? v : 0)
                .FirstOrDefault()
            : null;

    public static bool IsRoot => Environment.UserName == "root";

    public static void GiveToPostgresUserIfRoot(string directory)
    {
        if (IsRoot)
            Run("/bin", "chown", ["-R", "postgres:postgres", directory], asPostgres: false);
    }

    public static void Run(string binDir, string program, IReadOnlyList<string> args, bool asPostgres = true)
    {
        var path = Path.Combine(binDir, program);
        var start = asPostgres && IsRoot
            ? new ProcessStartInfo("runuser") { ArgumentList = { "-u", "postgres", "--", path } }
            : new ProcessStartInfo(path);
        foreach (var a in args)
            start.ArgumentList.Add(a);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        using var process = Process.Start(start)!;
        // Read both streams to the end: pg_ctl's server inherits them otherwise and keeps them open.
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(90)))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{program} did not finish in 90 s");
        }
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{program} failed ({process.ExitCode}): {stderr.Result}{stdout.Result}");
    }
}
