using Bot.Hosting;

namespace Bot.Access;

public static class AccessFeature
{
    /// <summary>Who may do what: Bot:Access (the admins) and the policy every handler asks first.</summary>
    public static IServiceCollection AddAccess(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddBotOptions<AccessOptions>(configuration, AccessOptions.SectionName)
            .Validate(o => o.Admins.All(IsUserId), "Bot:Access:Admins must be Slack user ids (U… or W…, e.g. U012AB3CD).");
        services.AddScoped<AccessPolicy>();
        return services;
    }

    private static bool IsUserId(string id) =>
        id.Length is >= 2 and <= 30 && id[0] is 'U' or 'W' && id.Skip(1).All(c => char.IsAsciiDigit(c) || char.IsAsciiLetterUpper(c));
}
