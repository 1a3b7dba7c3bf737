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
        var section = configuration.GetSection($"{RootSection}:{name}");
        return services.AddOptions<T>()
            .Bind(section)
            .PostConfigure(o => ReplaceConfiguredArrays(o, section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
    }

    /// <summary>The configuration binder appends configured items to an array that already holds defaults
    /// (RequiredSections = [symptoms, ...] plus the operator's list); a configured list is meant to replace them.</summary>
    private static void ReplaceConfiguredArrays<T>(T options, IConfigurationSection section) where T : class
    {
        foreach (var property in typeof(T).GetProperties().Where(p => p.PropertyType.IsArray && p.CanWrite && p.CanRead))
        {
            var configured = section.GetSection(property.Name);
            if (!configured.GetChildren().Any()) continue;
            property.SetValue(options, configured.Get(property.PropertyType));
        }
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
