namespace Bot.Hosting;

/// <summary>A setting is missing or wrong. Program prints only the message (one line, no stack trace)
/// and exits non-zero, so an operator sees what to fix and where to find it.</summary>
public sealed class StartupException(string message) : Exception(message);
