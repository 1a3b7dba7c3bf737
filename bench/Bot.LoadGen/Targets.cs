using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Bot.LoadGen;

/// <summary>The baselines the bot is compared with (--compare): Slack's Bolt for JavaScript as a no-op app
/// (bench/bolt-noop, node) and a bare Kestrel that answers 200 (this program again, with --bare-kestrel), each a
/// child process on a free loopback port, answering the same signed payloads at /slack/events.</summary>
internal sealed class Target : IAsyncDisposable
{
    private readonly Process _process;
    public string Name { get; }
    public Uri Url { get; }
    public int Pid => _process.Id;

    private Target(string name, Process process, Uri url)
    {
        Name = name;
        _process = process;
        Url = url;
    }

    public static Task<Target> Bolt(string appFolder, string signingSecret)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("node") { ArgumentList = { Path.Combine(appFolder, "app.js") }, WorkingDirectory = appFolder };
        start.Environment["SLACK_SIGNING_SECRET"] = signingSecret;
        start.Environment["PORT"] = port.ToString();
        start.Environment["NODE_ENV"] = "production";
        return Start("bolt", start, port);
    }

    public static Task<Target> BareKestrel()
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "Bot.LoadGen.dll"), "--bare-kestrel", port.ToString() },
            WorkingDirectory = AppContext.BaseDirectory,
        };
        return Start("kestrel", start, port);
    }

    /// <summary>The whole of the bare Kestrel: POST /slack/events answers 200, nothing is read or checked.</summary>
    public static async Task<int> RunBareKestrel(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        app.MapPost("/slack/events", () => Results.Ok());
        await app.RunAsync();
        return 0;
    }

    private static async Task<Target> Start(string name, ProcessStartInfo start, int port)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine($"[{name}] {e.Data}"); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine($"[{name}] {e.Data}"); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            if (process.HasExited) throw new InvalidOperationException($"{name} exited with code {process.ExitCode}");
            try
            {
                using var tcp = new TcpClient();
                await tcp.ConnectAsync(IPAddress.Loopback, port);
                return new Target(name, process, new Uri($"http://127.0.0.1:{port}"));
            }
            catch (SocketException)
            {
                if (DateTime.UtcNow > deadline) throw new TimeoutException($"{name} did not listen on port {port} within 60 s");
            }
            await Task.Delay(200);
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Resident set size from /proc (kB → MiB), null where there is no /proc.</summary>
    public static double? RssMiB(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return line is null ? null : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024.0;
        }
        catch (IOException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
