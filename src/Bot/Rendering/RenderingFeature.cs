namespace Bot.Rendering;

public static class RenderingFeature
{
    /// <summary>The templates (embedded, or the operator's from Bot:Rendering:TemplatesPath), parsed and tried on a
    /// sample document now, while the host is being built: a broken template is a StartupException (one line, exit 2),
    /// not a failed job at publish time.</summary>
    public static IServiceCollection AddRendering(this IServiceCollection services, IConfiguration configuration)
    {
        var templates = new TemplateRenderer(configuration[TemplateRenderer.TemplatesPathKey]);
        var renderer = new DocumentRenderer(templates);
        renderer.Check();
        services.AddSingleton(templates);
        services.AddSingleton(renderer);
        services.AddScoped<DocumentUploads>();
        services.AddScoped<DocumentUploadJob>();
        services.AddScoped<PreviewCommand>();
        return services;
    }
}
