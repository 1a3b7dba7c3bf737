namespace Bot.Slack.WebApi;

/// <summary>How the Web API client retries and paces its calls. The defaults suit production; tests shrink them.</summary>
public sealed class SlackWebApiOptions
{
    /// <summary>Retries after a 5xx, a network error or a timeout (so at most MaxRetries + 1 attempts).</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>First backoff after a 5xx or network error; doubled each further attempt up to MaxBackoff.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Retries after HTTP 429 before the call fails with "ratelimited".</summary>
    public int MaxRateLimitedRetries { get; set; } = 5;

    /// <summary>A Retry-After longer than this is cut to this, so one bad header cannot stall a job for an hour.</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Wait used when a 429 carries no usable Retry-After.</summary>
    public TimeSpan DefaultRetryAfter { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>One attempt taking longer than this counts as a network error ("timeout") and is retried.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Client-side pacing per method tier and per channel for chat.postMessage.</summary>
    public bool RateLimit { get; set; } = true;

    /// <summary>chat.postMessage: sustained messages per second into one channel (Slack: about 1).</summary>
    public double PostMessagePerChannelPerSecond { get; set; } = 1;

    /// <summary>chat.postMessage: messages a quiet channel may take at once before the per-second pace applies.</summary>
    public int PostMessagePerChannelBurst { get; set; } = 3;

    /// <summary>Page size asked of cursor-paginated methods (Slack caps most at 1000 and suggests 200).</summary>
    public int PageSize { get; set; } = 200;

    /// <summary>Stops a cursor loop that never ends (a misbehaving server), rather than paging forever.</summary>
    public int MaxPages { get; set; } = 1000;
}
