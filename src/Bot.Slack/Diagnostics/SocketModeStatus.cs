namespace Bot.Slack.Diagnostics;

/// <summary>Whether the Socket Mode client holds a live connection (Slack said hello), for the app's readiness check.</summary>
public sealed class SocketModeStatus
{
    private volatile bool _connected;

    public bool Connected => _connected;

    internal void Set(bool connected) => _connected = connected;
}
