using Bot.Database;
using Bot.Documents;
using Bot.Incidents;
using Bot.People;
using Bot.Postmortems.Scheduling;
using Bot.Slack.Blocks;
using Bot.Slack.Handlers;

namespace Bot.Rendering;

/// <summary><c>/postmortem preview</c>: the document's short summary at once (only for the caller), and the whole
/// document as a Markdown file in their DM by a job (the upload is three Slack calls: too slow for the 3 s answer).</summary>
public sealed class PreviewCommand(Db db, DocumentBuilder builder, DocumentRenderer renderer, UserDirectory people, TimeProvider time)
{
    public async Task<MessageResponse> Handle(Incident incident, string by, CancellationToken ct)
    {
        var zone = TimeZones.Find((await people.People([by], ct)).GetValueOrDefault(by)?.Tz);
        if (await builder.Build(incident.Id, zone.Id, ct) is not { } document)
            return MessageResponse.Ephemeral("This incident has no document.");
        var summary = renderer.Slack(document);
        await db.InTransaction(async (conn, jobs) =>
            await DocumentUploads.Request(conn, jobs, incident.Id, by, DocumentUploads.Preview, time.GetUtcNow(), ct), ct);
        var blocks = new List<Block>
        {
            Block.Context($":page_facing_up: The whole document is on its way to your DM as `{DocumentUploadJob.FileName(document)}` (Markdown)."),
        };
        blocks.AddRange(summary.Blocks);
        return MessageResponse.Ephemeral(summary.Text, BlockLimits.ForMessage(blocks));
    }
}
