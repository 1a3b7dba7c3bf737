using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Bot.LoadGen;

/// <summary>The bot as a child process (Bot.dll beside this program), on a free loopback port.</summary>
internal sealed class BotProcess : IAsyncDisposable
{
    private readonly Process _process;
    public Uri Url { get; }
    public int Pid => _process.Id;

    private BotProcess(Process process, Uri url)
    {
        _process = process;
        Url = url;
    }

    public static async Task<BotProcess> Start(string connectionString, string slackApiUrl, string botToken, string signingSecret)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "Bot.dll") },
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["SLACK_BOT_TOKEN"] = botToken;
        start.Environment["SLACK_SIGNING_SECRET"] = signingSecret;
        start.Environment["SLACK_APP_TOKEN"] = "";
        start.Environment["SLACK_API_URL"] = slackApiUrl;
        start.Environment["DATABASE_URL"] = "";
        start.Environment["ConnectionStrings__Bot"] = connectionString;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine($"[bot] {e.Data}"); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine($"[bot] {e.Data}"); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var url = new Uri($"http://127.0.0.1:{port}");
        using var http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            if (process.HasExited)
                throw new InvalidOperationException($"the bot exited with code {process.ExitCode}");
            try
            {
                if ((await http.GetAsync("/healthz")).IsSuccessStatusCode)
                    return new BotProcess(process, url);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                if (DateTime.UtcNow > deadline) throw new TimeoutException("the bot did not answer /healthz within 60 s");
            }
            await Task.Delay(200);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
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
