using Bot.History;
using Bot.Hosting;

// dotnet run starts the app in src/Bot and puts where it was typed first (RunArguments in Bot.csproj).
string? invokedFrom = null;
if (args is ["--invoked-from", var from, .. var rest])
{
    invokedFrom = from;
    args = rest;
}

// The offline draft needs neither Slack nor a database: it runs instead of the web host.
if (args is [DraftCommand.Name, ..])
    return await DraftCommand.RunAsync(args, Console.Out, Console.Error, invokedFrom);

// The container's HEALTHCHECK: a GET of the running bot's /healthz, no web host of its own.
if (args is [HealthCheckCommand.Name, ..])
    return await HealthCheckCommand.RunAsync(args, Console.Error);

return await BotHost.RunAsync(args);

/// <summary>Exposed for tests (typeof(Program).Assembly).</summary>
public partial class Program;
