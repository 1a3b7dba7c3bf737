namespace Bot.Jobs;

/// <summary>A Hangfire filter a feature adds to this app instance (registered in DI as IBotJobFilter, also
/// implementing Hangfire's filter interfaces); lower Order runs first, AutomaticRetry's is -1 on a method.</summary>
public interface IBotJobFilter
{
    int Order { get; }
}
