using Bot.Slack.Blocks;
using Bot.Postmortems;
using Hangfire;
using Microsoft.Extensions.Options;

namespace Bot.Publishing;

/// <summary>Step 2: the incident channel hears that its post-mortem is out, where it went, and what was overridden
/// when it was forced; the summary and the Markdown document come with it.</summary>
[AutomaticRetry(Attempts = 3, DelaysInSeconds = [5, 30, 120])]
public sealed class PublishChannelJob(PublishedDocuments documents, DocumentShare share, IOptions<PostmortemOptions> options)
{
    public const string Kind = "publish_channel";
    private const int MaxListed = 10;

    public async Task Run(long incidentId, CancellationToken ct)
    {
        if (await documents.Load(incidentId, ct) is not { Document.ChannelId: { } channel } p) return;
        var pub = p.Publication;
        var where = new List<string>();
        if (pub.AnnounceChannel is { } announce) where.Add(Mrkdwn.Channel(announce));
        if (PublishStakeholdersJob.Configured(p.Document.Severity, options.Value).Count > 0)
            where.Add($"the stakeholders for {Mrkdwn.Escape(p.Document.Severity)}");
        if (!string.IsNullOrWhiteSpace(pub.MailingList)) where.Add("the mailing list");
        var intro = $":mega: The post-mortem is *published* by {Mrkdwn.User(pub.PublishedBy)}: {(where.Count == 0 ? "the document is below" : "shared with " + string.Join(", ", where))}.";
        if (pub.Forced && pub.ProblemsOverridden.Length > 0)
        {
            intro += $"\n:warning: Published with `--force`; these readiness problems were overridden:\n" +
                     string.Join("\n", pub.ProblemsOverridden.Take(MaxListed).Select(t => "• " + Mrkdwn.Escape(t)));
            if (pub.ProblemsOverridden.Length > MaxListed) intro += $"\n…and {pub.ProblemsOverridden.Length - MaxListed} more.";
        }
        if (intro.Length > SlackLimits.SectionText) intro = intro[..(SlackLimits.SectionText - 1)] + "…";
        await share.ToChannel(p, channel, Kind, intro, ct);
    }
}
