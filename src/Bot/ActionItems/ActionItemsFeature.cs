using Bot.ActionItems.Chasing;
using Bot.ActionItems.Tracker;
using Bot.Database;
using Bot.Hosting;
using Bot.Slack;

namespace Bot.ActionItems;

public static class ActionItemsFeature
{
    /// <summary>Action items: the store, /postmortem action(s)' handler, the item buttons and modals, and the chase jobs.</summary>
    public static IServiceCollection AddActionItems(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddBotOptions<ActionItemOptions>(configuration, ActionItemOptions.SectionName)
            .Validate(o => BotOptionsExtensions.Parses(() => ChaseRule.From(o)), "Bot:ActionItems:ChaseTime / ChaseDays cannot be read (e.g. \"09:30\", \"Mon-Fri\").")
            .Validate(o => Uri.TryCreate(o.GitHub.ApiUrl, UriKind.Absolute, out _), "Bot:ActionItems:GitHub:ApiUrl must be an absolute URL.");
        services.AddScoped<ActionItemStore>();
        services.AddScoped<ActionItemCommands>();
        services.AddScoped<ItemReplies>();
        services.AddScoped<HomeActionItems>();

        services.AddScoped<ChaseRunJob>();
        services.AddScoped<ChaseOwnerJob>();
        services.AddScoped<EscalationJob>();
        services.AddScoped<AllSettledJob>();
        services.AddScoped<ReassignedJob>();
        services.AddScoped<CreateIssueJob>();
        services.AddScoped<GitHubIssues>();
        // No request logging: the token is in a header, and the URL names the repository only.
        services.AddHttpClient(GitHubIssues.HttpClientName).RemoveAllLoggers();
        services.AddSingleton<IStartupUnderLock, ChaseRecurringJob>();

        services.AddSlack()
            .AddBlockAction<ActionItemDoneButton>(ActionItemBlocks.Done)
            .AddBlockAction<ActionItemSnoozeButton>(ActionItemBlocks.SnoozeDay)
            .AddBlockAction<ActionItemSnoozeButton>(ActionItemBlocks.SnoozeWeek)
            .AddBlockAction<ActionItemReassignSelect>(ActionItemBlocks.Reassign)
            .AddBlockAction<ActionItemWontDoModal>(ActionItemBlocks.WontDo)
            .AddViewSubmission<ActionItemWontDoModal>(ActionItemWontDoModal.CallbackId)
            .AddBlockAction<ActionItemEditModal>(ActionItemBlocks.Edit)
            .AddViewSubmission<ActionItemEditModal>(ActionItemEditModal.CallbackId)
            .AddBlockAction<ActionItemCreateIssueButton>(ActionItemBlocks.CreateIssue);
        return services;
    }
}
