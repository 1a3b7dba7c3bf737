using Bot.Postmortems;
using Bot.Postmortems.Meetings;
using Bot.Slack.Blocks;
using Bot.Slack.WebApi;
using Hangfire;
using Microsoft.Extensions.Options;

namespace Bot.Publishing;

/// <summary>Step 3: a DM with the summary and the Markdown document to each stakeholder of the incident's severity
/// (Bot:Postmortems:Stakeholders:&lt;sevN&gt;: user ids, and user groups standing for their members, as for the
/// meeting). Each person's DM and file have their own markers: a retry sends only what is missing.</summary>
[AutomaticRetry(Attempts = 3, DelaysInSeconds = [5, 30, 120])]
public sealed class PublishStakeholdersJob(
    PublishedDocuments documents, SendMarkers markers, DirectMessages dms, ISlackApi slack, IOptions<PostmortemOptions> options,
    Bot.Timeline.BotIdentity bot, ILogger<PublishStakeholdersJob> logger)
{
    public const string Kind = "publish_dm";

    // Errors that another try cannot fix: the person is gone or cannot get DMs from the bot.
    private static readonly HashSet<string> Permanent = ["user_not_found", "user_disabled", "cannot_dm_bot", "user_not_visible", "account_inactive"];

    public static IReadOnlyList<string> Configured(string? severity, PostmortemOptions o) =>
        severity is not null && o.Stakeholders.TryGetValue(severity, out var ids)
            ? ids.Select(i => i.Trim()).Where(i => i.Length > 0).Distinct().ToList()
            : [];

    public async Task Run(long incidentId, CancellationToken ct)
    {
        if (await documents.Load(incidentId, ct) is not { } p) return;
        var d = p.Document;
        var people = await Expand(Configured(d.Severity, options.Value), ct);
        var summary = p.Renderer.Slack(d);
        var text = $":mega: The post-mortem of incident #{d.Number} *{Mrkdwn.Escape(d.Title)}* is published" +
                   (p.Publication.AnnounceChannel is { } c ? $" in {Mrkdwn.Channel(c)}" : "") +
                   $". You get it as a stakeholder for {Mrkdwn.Escape(d.Severity)}; the full document is below.";
        IReadOnlyList<Block> blocks = [Block.Section(text), .. summary.Blocks.Take(SlackLimits.BlocksPerMessage - 1)];
        foreach (var user in people)
        {
            try
            {
                await markers.Once(incidentId, PublicationStore.SendVersion, Kind, user, async () => await dms.Send(user, text, blocks, ct), ct);
                await markers.Once(incidentId, PublicationStore.SendVersion, Kind + "_file", user,
                    () => dms.Upload(user, p.FileName, p.Markdown(), p.Subject, ct), ct);
            }
            catch (SlackApiException e) when (Permanent.Contains(e.Error))
            {
                logger.LogWarning("Post-mortem of incident {IncidentId}: stakeholder {User} cannot get a DM ({Error}); skipped", incidentId, user, e.Error);
            }
        }
    }

    /// <summary>User ids as they are; user groups (S…) as their members (usergroups.list, only when a group is configured).</summary>
    private async Task<IReadOnlyList<string>> Expand(IReadOnlyList<string> ids, CancellationToken ct)
    {
        var result = new List<string>();
        var groups = ids.Where(AttendeeSuggestions.IsUserGroup).ToList();
        var members = groups.Count == 0 ? [] : (await slack.Usergroups.List(includeUsers: true, ct)).Where(g => groups.Contains(g.Id)).ToList();
        foreach (var id in ids)
        {
            var users = AttendeeSuggestions.IsUserGroup(id) ? members.FirstOrDefault(g => g.Id == id)?.Users ?? [] : [id];
            result.AddRange(users.Where(u => u != bot.Current?.UserId && !result.Contains(u)));
        }
        return result;
    }
}
