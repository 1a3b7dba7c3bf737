using Bot.Slack;

namespace Bot.Documents;

public static class EditingFeature
{
    /// <summary>Editing the document in Slack: /postmortem edit's commands and modals, questions and their Answer
    /// button and modal, and the jobs that tell the channel. The verbs themselves are routed by /postmortem.</summary>
    public static IServiceCollection AddDocumentEditing(this IServiceCollection services)
    {
        services.AddScoped<EditCommand>();
        services.AddScoped<QuestionCommand>();
        services.AddScoped<EditNoteJob>();
        services.AddScoped<AnswerNoteJob>();
        services.AddSlack()
            .AddBlockAction<EditPickerModal>(EditPickerModal.SelectAction)
            .AddViewSubmission<EditPickerModal>(EditPickerModal.CallbackId)
            .AddViewSubmission<EditSectionModal>(EditSectionModal.CallbackId)
            .AddBlockAction<AnswerQuestionButton>(AnswerQuestionButton.ActionId)
            .AddViewSubmission<AnswerQuestionModal>(AnswerQuestionModal.CallbackId);
        return services;
    }
}
