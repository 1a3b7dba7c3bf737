using System.Globalization;
using Bot.Database;
using Bot.Documents;
using Bot.Incidents;
using Bot.Postmortems;
using Bot.Slack.Blocks;
using Bot.Slack.Handlers;
using Microsoft.Extensions.Options;

namespace Bot.Publishing;

/// <summary><c>/postmortem publish [--force]</c>: runs the readiness check and lists every problem, or publishes. The
/// point person (or an admin) publishes, and may publish past the problems with --force (recorded with the problems overridden). Publishing is one
/// transaction: the publication, its timeline entry, and one job per step. A post-mortem is published once: asked
/// again (also after edits) it says when and by whom, and sends nothing.</summary>
public sealed class PublishCommand(
    Db db,
    DocumentBuilder builder,
    PublicationStore publications,
    IOptions<PublishingOptions> publishing,
    IOptions<PostmortemOptions> postmortemOptions,
    TimeProvider time)
{
    public const string Usage = "/postmortem publish [--force]";
    private const int MaxListed = 25;

    public async Task<MessageResponse> Handle(Incident incident, PostmortemRow postmortem, string by, bool force, CancellationToken ct)
    {
        if (await publications.Get(incident.Id, ct) is { } done) return AlreadyPublished(done);
        // Who may publish (the point person, an admin) is decided before this, by AccessPolicy in PostmortemCommand.
        var pointPerson = postmortem.PointPersonId;

        var doc = await builder.Build(incident.Id, null, ct);
        if (doc is null) return MessageResponse.Ephemeral("This incident is gone.");
        var o = publishing.Value;
        var report = Readiness.Check(doc, new ReadinessRules(postmortemOptions.Value.RequiredSections, o.Phrases));
        if (!report.IsReady && !force) return NotReady(report, pointPerson, by);

        var row = new PublicationRow
        {
            IncidentId = incident.Id, PublishedAt = time.GetUtcNow().UtcDateTime, PublishedBy = by, Forced = !report.IsReady,
            ProblemsOverridden = report.Problems.Select(p => p.Text).ToArray(),
            AnnounceChannel = string.IsNullOrWhiteSpace(o.AnnounceChannel) ? null : o.AnnounceChannel.Trim(),
            MailingList = string.IsNullOrWhiteSpace(o.MailingList) ? null : o.MailingList.Trim(),
        };
        var published = await db.InTransaction(async (conn, jobs) =>
        {
            if (await PublicationStore.Insert(conn, row, ct) is null) return false;
            var id = incident.Id;
            if (row.AnnounceChannel is not null) jobs.Enqueue<PublishAnnounceJob>(j => j.Run(id, CancellationToken.None));
            jobs.Enqueue<PublishChannelJob>(j => j.Run(id, CancellationToken.None));
            jobs.Enqueue<PublishStakeholdersJob>(j => j.Run(id, CancellationToken.None));
            if (row.MailingList is not null) jobs.Enqueue<PublishEmailJob>(j => j.Run(id, CancellationToken.None));
            return true;
        }, ct);
        if (!published && await publications.Get(incident.Id, ct) is { } raced) return AlreadyPublished(raced);

        var where = new List<string>();
        if (row.AnnounceChannel is { } announce) where.Add(Mrkdwn.Channel(announce));
        where.Add("this channel");
        where.Add("the severity's stakeholders (DM)");
        if (row.MailingList is not null) where.Add("the mailing list (email)");
        return MessageResponse.Ephemeral(
            $":white_check_mark: Published{(row.Forced ? $" with `--force`, overriding {row.ProblemsOverridden.Length} readiness problem{(row.ProblemsOverridden.Length == 1 ? "" : "s")} (recorded in the document)" : "")}. " +
            $"On its way to {string.Join(", ", where)}.");
    }

    private static MessageResponse AlreadyPublished(PublicationRow done) => MessageResponse.Ephemeral(
        $"Already published on {done.At.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC by {Mrkdwn.User(done.PublishedBy)}; " +
        "nothing was sent again. A post-mortem is published once: later edits show in `/postmortem preview`.");

    private static MessageResponse NotReady(ReadinessReport report, string pointPerson, string by)
    {
        var n = report.Problems.Count;
        var lines = report.Problems.Take(MaxListed).Select(p => $"• {Mrkdwn.Escape(p.Text)} {Mrkdwn.Escape(p.Fix)}");
        var text = $":construction: *The post-mortem is not ready to publish* ({n} problem{(n == 1 ? "" : "s")}):\n" + string.Join("\n", lines);
        if (n > MaxListed) text += $"\n…and {n - MaxListed} more.";
        // Only the point person and admins get this far (AccessPolicy).
        text += "\nFix them and run `/postmortem publish` again. " + (by == pointPerson
            ? "As the point person you can publish anyway with `/postmortem publish --force`; the problems are recorded in the document."
            : $"As an admin you can publish anyway with `/postmortem publish --force` (the point person is {Mrkdwn.User(pointPerson)}); the problems are recorded in the document.");
        return MessageResponse.Ephemeral(text);
    }
}
