using Bot.Documents;
using Bot.Hosting;
using Bot.Postmortems;
using Microsoft.Extensions.Options;

namespace Bot.Publishing;

public static class PublishingFeature
{
    /// <summary>/postmortem publish (called from PostmortemCommand), its four jobs, the mailer, Bot:Publishing.</summary>
    public static IServiceCollection AddPublishing(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddBotOptions<PublishingOptions>(configuration, PublishingOptions.SectionName);
        services.AddSingleton<IValidateOptions<PublishingOptions>, Validator>();
        services.AddOptions<PostmortemOptions>().Validate(
            o => o.RequiredSections.All(SectionKeys.Editable.Contains),
            $"Bot:Postmortems:RequiredSections may only name sections: {string.Join(", ", SectionKeys.Editable)}.");

        services.AddScoped<PublicationStore>();
        services.AddScoped<PublishCommand>();
        services.AddScoped<PublishedDocuments>();
        services.AddScoped<DocumentShare>();
        services.AddScoped<DocumentMailer>();
        services.AddScoped<PublishAnnounceJob>();
        services.AddScoped<PublishChannelJob>();
        services.AddScoped<PublishStakeholdersJob>();
        services.AddScoped<PublishEmailJob>();
        return services;
    }

    /// <summary>Every bad setting as its own line (BotHost prints them at startup and stops).</summary>
    private sealed class Validator : IValidateOptions<PublishingOptions>
    {
        public ValidateOptionsResult Validate(string? name, PublishingOptions options) =>
            options.Problems() is { Count: > 0 } problems ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
    }
}
