namespace Bot.Slack;

/// <summary>
/// Slack settings. Names follow Bolt's environment variables (SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET,
/// SLACK_APP_TOKEN, SLACK_API_URL) so operators already know them; binding is the host's job.
/// </summary>
public sealed class SlackOptions
{
    /// <summary>xoxb- token: every Web API call the bot makes.</summary>
    public string BotToken { get; set; } = "";

    /// <summary>Verifies that HTTP requests come from Slack. Not needed in Socket Mode.</summary>
    public string SigningSecret { get; set; } = "";

    /// <summary>xapp- app-level token (connections:write). When set, events arrive over Socket Mode.</summary>
    public string? AppToken { get; set; }

    /// <summary>Web API base; tests point it at the fake Slack.</summary>
    public string ApiUrl { get; set; } = "https://slack.com/api/";

    /// <summary>A Web API method's URL under <see cref="ApiUrl"/>, with or without its trailing slash.</summary>
    public Uri MethodUrl(string method)
    {
        // Without the slash, "chat.postMessage" would replace the base's last segment ("api") instead of following it.
        var baseUrl = ApiUrl.EndsWith('/') ? ApiUrl : ApiUrl + "/";
        return new Uri(new Uri(baseUrl, UriKind.Absolute), method);
    }

    /// <summary>Requests whose timestamp is further than this from now are rejected (replay protection).</summary>
    public TimeSpan MaxRequestAge { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Bodies above this are answered 413 before they are read whole.</summary>
    public long MaxBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>A slash command or view submission handler still running after this is answered empty;
    /// its reply then goes to response_url. Slack's limit is 3 s.</summary>
    public TimeSpan AckDeadline { get; set; } = TimeSpan.FromMilliseconds(2500);

    /// <summary>Events and interactions waiting for a handler after the ack. When full, HTTP answers 503 and
    /// Socket Mode withholds the ack, so Slack delivers again later instead of the work being lost.</summary>
    public int WorkQueueCapacity { get; set; } = 10_000;

    /// <summary>How many queued events and interactions are handled at once.</summary>
    public int WorkerCount { get; set; } = 8;

    /// <summary>How often the inbox's lease is renewed and work abandoned by a dead process is looked for
    /// (<see cref="Dispatch.ISlackInbox"/>); also the first wait before a run the database interrupted is tried again.</summary>
    public TimeSpan InboxPollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The reply to a slash command whose handler could not reach the database (Slack shows it to the user).</summary>
    public string StorageUnavailableText { get; set; } = "The bot can't reach its database right now; try again in a moment.";

    /// <summary>First wait before reconnecting Socket Mode; doubles per failure up to SocketModeMaxBackoff.</summary>
    public TimeSpan SocketModeInitialBackoff { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan SocketModeMaxBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>WebSocket pings are sent this often; the official clients use about 5 s.</summary>
    public TimeSpan SocketModePingInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A socket with no pong for this long is stale and replaced.</summary>
    public TimeSpan SocketModeStaleTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a replaced socket gets for its close handshake (Slack may never finish it).</summary>
    public TimeSpan SocketModeCloseTimeout { get; set; } = TimeSpan.FromSeconds(2);

    public bool UseSocketMode => !string.IsNullOrWhiteSpace(AppToken);
}
