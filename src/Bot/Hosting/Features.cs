namespace Bot.Hosting;

/// <summary>Where the app's features plug in: each adds its services (handlers, jobs, options with
/// services.AddBotOptions&lt;T&gt;(configuration, "Name")) and maps what it needs.</summary>
internal static class Features
{
    public static void Add(WebApplicationBuilder builder)
    {
    }

    public static void Map(WebApplication app)
    {
    }
}
