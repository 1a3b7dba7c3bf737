namespace Bot.Documents;

public static class DocumentsFeature
{
    /// <summary>The document model's stores and builder (no Slack surfaces of its own: /postmortem owns those).</summary>
    public static IServiceCollection AddDocuments(this IServiceCollection services)
    {
        services.AddDocumentEditing();
        services.AddScoped<SectionEditStore>();
        services.AddScoped<QuestionStore>();
        services.AddScoped<DocumentBuilder>();
        return services;
    }
}
