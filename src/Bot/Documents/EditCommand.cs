using Bot.Incidents;
using Bot.Slack.Blocks;
using Bot.Slack.Handlers;
using Bot.Slack.Interactivity;
using Bot.Slack.WebApi;

namespace Bot.Documents;

/// <summary><c>/postmortem edit [section]</c>: opens the section picker, or that section's modal straight away.
/// views.open runs on the request path, first thing: the command's trigger_id is only good for 3 seconds.</summary>
public sealed class EditCommand(EditSectionModal sections, DocumentBuilder documents, ISlackApi slack, ILogger<EditCommand> logger)
{
    public async Task<MessageResponse?> Handle(Incident incident, string? section, SlashCommand command, CancellationToken ct)
    {
        string? key = null;
        if (section is not null && (key = Find(section)) is null)
            return MessageResponse.Ephemeral($"I don't know the section `{Mrkdwn.Escape(section)}`. Sections: " +
                string.Join(", ", SectionKeys.Editable.Select(k => $"`{k}`")) + $".\nUsage: `{Postmortems.PostmortemCommandParser.Edit}`");
        if (string.IsNullOrEmpty(command.TriggerId)) return MessageResponse.Ephemeral("Slack sent no trigger_id, so I can't open the editor; run the command again.");

        // The trigger_id lives 3 s, building the document can take longer (names past their day in the cache are
        // fetched from Slack): open a placeholder at once, then fill it in.
        OpenedView opened;
        try
        {
            opened = await slack.Views.Open(command.TriggerId, Loading(incident, key), ct);
        }
        catch (SlackApiException e)
        {
            logger.LogInformation("views.open for /postmortem edit failed: {Error}", e.Error);
            return MessageResponse.Ephemeral($"Slack did not open the editor ({e.Error}); run the command again.");
        }
        var view = key is null
            ? await documents.Build(incident.Id, null, ct) is { } doc ? EditPickerModal.Build(doc) : null
            : await sections.For(incident.Id, key, ct);
        if (view is null) return MessageResponse.Ephemeral("This incident no longer exists.");
        try
        {
            await slack.Views.Update(opened.Id, view, opened.Hash, ct);
            return null;
        }
        catch (SlackApiException e) when (e.Error is "not_found" or "hash_conflict")
        {
            // Closed (or moved on) while loading: nothing to fill in.
            logger.LogInformation("views.update for /postmortem edit: {Error}", e.Error);
            return null;
        }
        catch (SlackApiException e)
        {
            logger.LogInformation("views.update for /postmortem edit failed: {Error}", e.Error);
            return MessageResponse.Ephemeral($"Slack did not show the editor ({e.Error}); run the command again.");
        }
    }

    private static ModalView Loading(Incident incident, string? key) => new("Edit post-mortem")
    {
        Close = "Cancel",
        Blocks = [Block.Section($"Loading {(key is null ? "the sections" : $"*{Mrkdwn.Escape(SectionKeys.Title(key))}*")} of incident #{incident.Number}…")],
    };

    /// <summary>The section a person means: its key or its title ("key_points", "key points", "contributing
    /// factors"), or a word only one section has ("factors", "learn"); null when none or several match.</summary>
    public static string? Find(string text)
    {
        var wanted = Normal(text);
        if (wanted.Length == 0) return null;
        var names = SectionKeys.Editable.Select(k => (Key: k, Names: new[] { Normal(k), Normal(SectionKeys.Title(k)),
            Bot.Timeline.Sections.Titles.TryGetValue(k, out var legend) ? Normal(legend) : "" })).ToList();
        var exact = names.Where(n => n.Names.Contains(wanted)).Select(n => n.Key).Distinct().ToList();
        if (exact.Count == 1) return exact[0];
        if (wanted.Length < 3) return null;
        var partial = names.Where(n => n.Names.Any(x => x.Contains(wanted, StringComparison.Ordinal))).Select(n => n.Key).Distinct().ToList();
        return partial.Count == 1 ? partial[0] : null;
    }

    private static string Normal(string s) => string.Concat(s.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit));
}
