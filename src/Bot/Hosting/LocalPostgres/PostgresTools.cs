using System.Diagnostics;

namespace Bot.Hosting.LocalPostgres;

/// <summary>The machine's PostgreSQL server programs (Debian's /usr/lib/postgresql/N/bin). initdb and
/// pg_ctl refuse to run as root, so as root they run as the postgres user through runuser.</summary>
internal static class PostgresTools
{
    public static string? FindBinDir() =>
        Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => Path.Combine(d, "bin"))
                .Where(b => File.Exists(Path.Combine(b, "initdb")) && File.Exists(Path.Combine(b, "pg_ctl")))
                .OrderByDescending(b => int.TryParse(Path.GetFileName(Path.GetDirectoryName(b)), out var v) ? v : 0)
                .FirstOrDefault()
            : null;

    public static bool IsRoot => Environment.UserName == "root";

    public static void GiveToPostgresUserIfRoot(string directory)
    {
        if (IsRoot)
            Run("/bin", "chown", ["-R", "postgres:postgres", directory], asPostgres: false);
    }

    /// <summary>Runs a program to its end; a non-zero exit throws with what it printed.</summary>
    public static (int ExitCode, string Output) Run(string binDir, string program, IReadOnlyList<string> args,
        bool asPostgres = true, bool throwOnError = true)
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
        // Read both streams to the end concurrently, so a chatty program cannot block on a full pipe.
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(90)))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{program} did not finish in 90 s");
        }
        var output = (stderr.Result + stdout.Result).Trim();
        if (process.ExitCode != 0 && throwOnError)
            throw new InvalidOperationException($"{program} failed ({process.ExitCode}): {output}");
        return (process.ExitCode, output);
    }
}
