using System.Collections.Concurrent;
using System.Diagnostics;

namespace Bot.Tests.Infrastructure;

/// <summary>Starts the built bot (dotnet Bot.dll) as a child process with the given environment, every console line
/// (stdout and stderr) collected in <paramref name="output"/>. Shared by the tests that run the real executable.</summary>
internal static class BotExecutable
{
    /// <summary>The machine's own settings a test must not inherit.</summary>
    private static readonly string[] Inherited = ["SLACK_APP_TOKEN", "DATABASE_URL", "OTEL_EXPORTER_OTLP_ENDPOINT"];

    public static Process Start(IEnumerable<KeyValuePair<string, string>> env, ConcurrentQueue<string> output)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "Bot.dll") },
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var name in Inherited) start.Environment.Remove(name);
        foreach (var (key, value) in env) start.Environment[key.Replace(":", "__")] = value;
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) output.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) output.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }
}
