using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Bot.Hosting;

/// <summary>The pattern for app settings: each feature binds its own class to "Bot:&lt;Name&gt;"
/// (appsettings.json or environment variables such as Bot__Hangfire__WorkerCount),
/// checked with data annotations when the app starts.</summary>
public static class BotOptionsExtensions
{
    public const string RootSection = "Bot";

    public static OptionsBuilder<T> AddBotOptions<T>(this IServiceCollection services, IConfiguration configuration, string name)
        where T : class
    {
        return services.AddOptions<T>()
            .Bind(configuration.GetSection($"{RootSection}:{name}"))
            .ValidateDataAnnotations()
            .ValidateOnStart();
    }

    public static T ReadBotOptions<T>(this IConfiguration configuration, string name) where T : class, new() =>
        configuration.GetSection($"{RootSection}:{name}").Get<T>() ?? new T();
}
