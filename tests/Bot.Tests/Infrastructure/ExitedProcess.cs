using System.Diagnostics;

namespace Bot.Tests.Infrastructure;

/// <summary>Runs the real executable to its exit and returns its code and output; one that outlives the deadline is
/// killed (with its children) so it never outlives the test.</summary>
public static class ExitedProcess
{
    public static async Task<(int Exit, string Stdout, string Stderr)> Run(ProcessStartInfo start, TimeSpan? deadline = null)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        var limit = deadline ?? TimeSpan.FromSeconds(60);
        using var cts = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{start.FileName} {string.Join(' ', start.ArgumentList)} did not exit within {limit.TotalSeconds:0} s. Output: {await stdout} {await stderr}");
        }
        return (process.ExitCode, await stdout, await stderr);
    }
}
