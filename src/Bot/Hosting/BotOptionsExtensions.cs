using System.ComponentModel.DataAnnotations;
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

    /// <summary>Reads and checks settings the host needs before the container exists; a bad value is a StartupException.</summary>
    public static T ReadBotOptions<T>(this IConfiguration configuration, string name) where T : class, new()
    {
        T options;
        try
        {
            options = configuration.GetSection($"{RootSection}:{name}").Get<T>() ?? new T();
        }
        catch (InvalidOperationException e)
        {
            throw new StartupException($"{RootSection}:{name} has a value of the wrong type: {e.Message}");
        }
        var errors = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, new ValidationContext(options), errors, validateAllProperties: true))
            throw new StartupException($"{RootSection}:{name}: {string.Join("; ", errors.Select(e => $"{string.Join(",", e.MemberNames)}: {e.ErrorMessage}"))}");
        return options;
    }
}
