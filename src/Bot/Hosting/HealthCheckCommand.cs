namespace Bot.Hosting;

/// <summary><c>dotnet Bot.dll healthcheck [url]</c>: GETs the running bot's /healthz and exits 0 when it answers 2xx,
/// 1 otherwise. The container's HEALTHCHECK uses it because the runtime image has no curl or wget.</summary>
public static class HealthCheckCommand
{
    public const string Name = "healthcheck";

    /// <summary>The Dockerfile's ASPNETCORE_URLS port.</summary>
    public const string DefaultUrl = "http://127.0.0.1:8080/healthz";

    public static async Task<int> RunAsync(string[] args, TextWriter error)
    {
        var url = args.Length > 1 ? args[1] : DefaultUrl;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            await error.WriteLineAsync($"usage: {Name} [http://host:port/healthz]");
            return 1;
        }
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
        try
        {
            using var response = await http.GetAsync(uri);
            if (response.IsSuccessStatusCode) return 0;
            await error.WriteLineAsync($"{uri} answered {(int)response.StatusCode}");
            return 1;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            await error.WriteLineAsync($"{uri} did not answer: {e.Message}");
            return 1;
        }
    }
}
