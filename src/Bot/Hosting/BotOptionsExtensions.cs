using System.ComponentModel.DataAnnotations;
using System.Reflection;
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
            .Configure(options => BindReplacingLists(section, options))
            .ValidateDataAnnotations()
            .ValidateOnStart();
    }

    /// <summary>Reads and checks settings the host needs before the container exists; a bad value is a StartupException.</summary>
    /// <summary>For Validate: true when <paramref name="parse"/> reads the setting without a FormatException.</summary>
    public static bool Parses(Action parse)
    {
        try
        {
            parse();
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    public static T ReadBotOptions<T>(this IConfiguration configuration, string name) where T : class, new()
    {
        T options;
        try
        {
            options = new T();
            BindReplacingLists(configuration.GetSection($"{RootSection}:{name}"), options);
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

    /// <summary>Binds the section, except that a configured list replaces the default list instead of being added
    /// to it (.NET's binder appends to the list an options class starts with: PrepNudgeHours:0=24 would give
    /// 48, 4, 24). A list key with an empty value (or an empty JSON array) makes the list empty. Dictionaries
    /// still merge with their defaults (the emoji legend adds and overrides entries).</summary>
    public static void BindReplacingLists(IConfigurationSection section, object options)
    {
        var configured = section.GetChildren().Select(c => c.Key).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var lists = options.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite && p.GetIndexParameters().Length == 0 && configured.Contains(p.Name) && ElementType(p.PropertyType) is not null)
            .ToList();
        foreach (var list in lists) list.SetValue(options, null);
        section.Bind(options);
        foreach (var list in lists.Where(p => p.GetValue(options) is null))
        {
            var empty = Array.CreateInstance(ElementType(list.PropertyType)!, 0);
            list.SetValue(options, list.PropertyType.IsInstanceOfType(empty) ? empty : Activator.CreateInstance(list.PropertyType));
        }
    }

    /// <summary>The element type of an array or list-like property (not string, not a dictionary), else null.</summary>
    private static Type? ElementType(Type type)
    {
        if (type == typeof(string)) return null;
        if (type.IsArray) return type.GetElementType();
        if (!type.IsGenericType) return null;
        var definition = type.GetGenericTypeDefinition();
        var isList = definition == typeof(List<>) || definition == typeof(IList<>) || definition == typeof(ICollection<>)
            || definition == typeof(IEnumerable<>) || definition == typeof(IReadOnlyList<>) || definition == typeof(IReadOnlyCollection<>)
            || definition == typeof(HashSet<>) || definition == typeof(ISet<>);
        return isList ? type.GetGenericArguments()[0] : null;
    }
}
