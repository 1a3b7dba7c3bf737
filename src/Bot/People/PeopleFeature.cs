namespace Bot.People;

public static class PeopleFeature
{
    /// <summary>The user and user-group name caches used when rendering.</summary>
    public static IServiceCollection AddPeople(this IServiceCollection services)
    {
        services.AddScoped<UserDirectory>();
        return services;
    }
}
