using System.Text;
using Bot.Documents;
using Bot.People;
using Bot.Postmortems;
using Hangfire;

namespace Bot.Rendering;

/// <summary>Uploads the whole document, rendered as Markdown, into a person's DM (files.getUploadURLExternal, the
/// bytes, files.completeUploadExternal): nothing is cut to fit a message. Every name is fetched here (a job has the
/// time), and the request row makes a second run of the job upload nothing.</summary>
[AutomaticRetry(Attempts = 3, DelaysInSeconds = [5, 30, 120])]
public sealed class DocumentUploadJob(DocumentUploads uploads, DocumentBuilder builder, DocumentRenderer renderer, UserDirectory people,
    DirectMessages dms)
{
    public async Task Run(Guid uploadId, CancellationToken ct)
    {
        if (await uploads.Claim(uploadId, ct) is not { } request) return;
        try
        {
            // The preview is read in the reader's own zone; the prep copy in the point person's (the document's default).
            var zone = request.Reason == DocumentUploads.Preview
                ? (await people.People([request.UserId], ct)).GetValueOrDefault(request.UserId)?.Tz
                : null;
            var document = await builder.BuildComplete(request.IncidentId, zone, ct);
            if (document is null)
            {
                await uploads.Sent(uploadId, "", ct);
                return;
            }
            var markdown = Encoding.UTF8.GetBytes(renderer.Markdown(document));
            var file = await dms.Upload(request.UserId, FileName(document), markdown, $"Post-mortem #{document.Number}: {document.Title}", ct,
                comment: $"The full post-mortem document of incident #{document.Number}, as it stands now (Markdown).");
            await uploads.Sent(uploadId, file.Id, ct);
        }
        catch
        {
            await uploads.Release(uploadId);
            throw;
        }
    }

    public static string FileName(PostmortemDocument d) => $"postmortem-{d.Number}.md";
}
