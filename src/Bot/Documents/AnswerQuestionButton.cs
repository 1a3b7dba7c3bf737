using System.Globalization;
using Bot.Incidents;
using Bot.Slack.Handlers;
using Bot.Slack.Interactivity;
using Bot.Slack.WebApi;

namespace Bot.Documents;

/// <summary>The Answer button on a question (value "incidentId:number"): opens the Answer modal with the block
/// action's trigger_id. Clicking twice opens the modal twice; only a submission changes anything.</summary>
public sealed class AnswerQuestionButton(IncidentStore incidents, QuestionStore questions, ISlackApi slack, ILogger<AnswerQuestionButton> logger)
    : IBlockActionHandler
{
    public const string ActionId = "postmortem_answer_question";

    public static string Value(long incidentId, int number) =>
        string.Create(CultureInfo.InvariantCulture, $"{incidentId}:{number}");

    public static (long IncidentId, int Number)? Parse(string? value)
    {
        var parts = (value ?? "").Split(':');
        return parts.Length == 2
            && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var n)
                ? (id, n) : null;
    }

    public async Task Handle(BlockAction action, BlockActionsPayload payload, CancellationToken ct)
    {
        if (payload.User?.Id is null || payload.TriggerId is null || Parse(action.Value) is not { } q) return;
        var incident = await incidents.Get(q.IncidentId, ct);
        var question = incident is null || incident.TeamId != payload.Team?.Id ? null : await questions.Get(q.IncidentId, q.Number, ct);
        if (incident is null || question is null)
        {
            await Tell(payload, $"Question {q.Number} no longer exists, so there is nothing to answer.", ct);
            return;
        }
        try
        {
            await slack.Views.Open(payload.TriggerId, AnswerQuestionModal.Build(incident, question), ct);
        }
        catch (SlackApiException e)
        {
            logger.LogInformation("views.open for question {Number} of incident {IncidentId} failed: {Error}", q.Number, q.IncidentId, e.Error);
            await Tell(payload, $"Slack did not open the answer box ({e.Error}). Click again, or use `/postmortem answer {q.Number} <text>`.", ct);
        }
    }

    private async Task Tell(BlockActionsPayload payload, string text, CancellationToken ct)
    {
        if (payload.ResponseUrl is null) return;
        try
        {
            await slack.Respond(payload.ResponseUrl, new MessageResponse { Text = text, ReplaceOriginal = false }, ct);
        }
        catch (SlackApiException e)
        {
            logger.LogInformation("Replying to the Answer button failed: {Error}", e.Error);
        }
    }
}
