namespace Bot.Jobs;

/// <summary>The name this app instance gives its Hangfire server, so /readyz finds its own heartbeat among the servers
/// of every instance sharing the database (Hangfire makes the server id "{name}:{guid}").</summary>
public sealed class HangfireServerIdentity
{
    public string Name { get; } = $"{Environment.MachineName.ToLowerInvariant()}-{Environment.ProcessId}-{Guid.NewGuid():N}"[..^24];

    public bool Owns(string serverId) =>
        serverId.Equals(Name, StringComparison.OrdinalIgnoreCase) || serverId.StartsWith(Name + ":", StringComparison.OrdinalIgnoreCase);
}
