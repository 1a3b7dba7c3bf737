using Bot.Hosting;

return await BotHost.RunAsync(args);

/// <summary>Exposed for tests (typeof(Program).Assembly).</summary>
public partial class Program;
