using Bot.Slack.Blocks;
using Bot.Slack.Handlers;
using Bot.Slack.Interactivity;
using Microsoft.Extensions.Options;

namespace Bot.Incidents;

/// <summary>The form behind <c>/incident new</c> without a title; its submission opens the incident
/// exactly like the command does.</summary>
public sealed class NewIncidentModal(IncidentStore store, IOptions<IncidentOptions> options) : IViewSubmissionHandler
{
    public const string CallbackId = "incident_new";
    private const string TitleBlock = "title";
    private const string SeverityBlock = "severity";
    private const string DescriptionBlock = "description";
    private const string PrivateBlock = "private";
    private static readonly SelectOption PrivateOption = new("Private channel: only the people invited see the incident", "private");

    /// <param name="isPrivate">Whether the private box starts ticked (Bot:Incidents:PrivateChannels, or the command's word).</param>
    public static ModalView Build(string? originChannelId, string? severity, bool isPrivate)
    {
        var options = IncidentCommandParser.Severities.Select(s => new SelectOption(s.ToUpperInvariant(), s)).ToList();
        return new ModalView("New incident")
        {
            CallbackId = CallbackId,
            PrivateMetadata = originChannelId,
            Submit = "Open incident",
            Close = "Cancel",
            Blocks =
            [
                Block.Input(TitleBlock, "Title", new PlainTextInputElement { ActionId = TitleBlock, MaxLength = IncidentCommandParser.MaxTitleLength }),
                Block.Input(SeverityBlock, "Severity", new StaticSelectElement(SeverityBlock, options)
                {
                    InitialOption = options.FirstOrDefault(o => o.Value == severity),
                }),
                Block.Input(DescriptionBlock, "What is happening?", new PlainTextInputElement { ActionId = DescriptionBlock, Multiline = true }, optional: true),
                Block.Input(PrivateBlock, "Visibility", new CheckboxesElement(PrivateBlock, [PrivateOption])
                {
                    InitialOptions = isPrivate ? [PrivateOption] : null,
                }, optional: true, hint: "Security incidents are usually private: no announcement, and only channel members see it in the app."),
            ],
        };
    }

    public async Task<ViewSubmissionResponse?> Handle(ViewSubmissionPayload payload, CancellationToken ct)
    {
        var values = payload.View.State?.Values;
        var title = Value(values, TitleBlock)?.Value?.Trim();
        var severity = Value(values, SeverityBlock)?.SelectedOption?.Value;
        var description = Value(values, DescriptionBlock)?.Value?.Trim();
        // A form opened before the box existed has no such block: the setting decides, as for the command.
        var isPrivate = Value(values, PrivateBlock) is { } box
            ? box.SelectedOptions?.Any(o => o.Value == PrivateOption.Value) == true
            : options.Value.PrivateChannels;

        var errors = new Dictionary<string, string>();
        if (string.IsNullOrEmpty(title)) errors[TitleBlock] = "Give the incident a title.";
        else if (title.Length > IncidentCommandParser.MaxTitleLength) errors[TitleBlock] = $"At most {IncidentCommandParser.MaxTitleLength} characters.";
        if (severity is not null && !IncidentCommandParser.Severities.Contains(severity)) errors[SeverityBlock] = "Pick a severity.";
        var team = payload.Team?.Id ?? payload.View.TeamId;
        var user = payload.User?.Id;
        if (errors.Count > 0 || team is null || user is null)
            return ViewSubmissionResponse.WithErrors(errors.Count > 0 ? errors : new Dictionary<string, string> { [TitleBlock] = "Slack did not say who you are; try again." });

        var o = options.Value;
        await store.Open(new NewIncident(team, title!, severity, string.IsNullOrEmpty(description) ? null : description, user,
            string.IsNullOrEmpty(payload.View.PrivateMetadata) ? null : payload.View.PrivateMetadata, ResponseUrl: null),
            o.ChannelPrefix, isPrivate, ct);
        return null;
    }

    private static BlockAction? Value(Dictionary<string, Dictionary<string, BlockAction>>? values, string block) =>
        values is not null && values.TryGetValue(block, out var actions) && actions.TryGetValue(block, out var action) ? action : null;
}
