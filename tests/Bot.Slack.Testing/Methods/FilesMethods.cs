using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Bot.Slack.Testing;

// Slack's current upload flow: files.getUploadURLExternal, POST the bytes to the URL it gives,
// files.completeUploadExternal to finish and share.
public sealed partial class FakeSlack
{
    private const long MaxFileBytes = 1024L * 1024 * 1024;

    private void RegisterFiles()
    {
        _handlers["files.getUploadURLExternal"] = args =>
        {
            var length = args.Int("length", "invalid_arguments")!.Value;
            if (length <= 0 || length > MaxFileBytes) throw new SlackErrorException("invalid_arguments", "[ERROR] length out of range");
            var file = new FakeFile { Id = NewId("F"), Name = args.Str("filename")!, Length = length };
            _files[file.Id] = file;
            return Ok(new JsonObject { ["upload_url"] = $"{BaseUrl}upload/{file.Id}", ["file_id"] = file.Id });
        };
        _handlers["files.completeUploadExternal"] = CompleteUpload;
    }

    private JsonObject CompleteUpload(SlackArgs args)
    {
        if (args.Json("files", "invalid_arguments") is not JsonArray { Count: > 0 } entries)
            throw new SlackErrorException("invalid_arguments", "[ERROR] files must be a non-empty array of {\"id\",\"title\"}");
        var files = new List<FakeFile>();
        foreach (var entry in entries)
        {
            var id = entry?["id"]?.ToString() ?? throw new SlackErrorException("invalid_arguments", "[ERROR] missing required field: id [json-pointer:/files]");
            var file = _files.GetValueOrDefault(id) ?? throw new SlackErrorException("file_not_found");
            // Completing before the bytes arrived, or with fewer bytes than announced, fails at Slack too.
            if (file.Content is null || file.Content.Length != file.Length) throw new SlackErrorException("upload_not_complete");
            if (file.Completed) throw new SlackErrorException("file_already_completed");
            file.Title = entry["title"]?.ToString() ?? file.Name;
            files.Add(file);
        }
        var channelId = args.Str("channel_id") ?? args.List("channels").FirstOrDefault();
        FakeChannel? channel = channelId is null ? null : ChannelToPostTo(channelId);
        foreach (var file in files)
        {
            file.Completed = true;
            if (channel is not null) file.Channels.Add(channel.Id);
        }
        if (channel is not null)
        {
            var threadTs = args.Str("thread_ts");
            var share = new FakeMessage
            {
                Channel = channel.Id, Ts = NextTs(), User = BotUserId, BotId = BotId, Subtype = "file_share",
                Text = args.Str("initial_comment") ?? "", ThreadTs = threadTs, FileIds = [.. files.Select(f => f.Id)],
            };
            channel.MessageList.Add(share);
            EmitMessage(channel, share);
        }
        return Ok(new JsonObject { ["files"] = new JsonArray([.. files.Select(f => (JsonNode)FileJson(f))]) });
    }

    private async Task HandleUpload(HttpContext ctx, string fileId)
    {
        FakeFile? file;
        lock (_gate) file = _files.GetValueOrDefault(fileId);
        if (file is null || file.Completed)
        {
            ctx.Response.StatusCode = 404;
            return;
        }
        byte[] content;
        if (ctx.Request.HasFormContentType)
        {
            // Clients may send the bytes as multipart (a "file" part) or raw.
            var form = await ctx.Request.ReadFormAsync();
            var part = form.Files.FirstOrDefault();
            using var buffer = new MemoryStream();
            if (part is not null) await part.CopyToAsync(buffer);
            content = buffer.ToArray();
        }
        else
        {
            using var buffer = new MemoryStream();
            await ctx.Request.Body.CopyToAsync(buffer);
            content = buffer.ToArray();
        }
        lock (_gate) file.Content = content;
        Signal();
        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = "text/plain";
        await ctx.Response.WriteAsync($"OK - {content.Length}");
    }

    /// <summary>Slack always names a file's type; the bot's uploads are documents and invites.</summary>
    private static string MimetypeOf(string name) => Path.GetExtension(name).ToLowerInvariant() switch
    {
        ".png" => "image/png",
        ".jpg" or ".jpeg" => "image/jpeg",
        ".md" => "text/markdown",
        ".html" => "text/html",
        ".ics" => "text/calendar",
        ".txt" => "text/plain",
        _ => "application/octet-stream",
    };

    private JsonObject FileJson(FakeFile f) => new()
    {
        ["id"] = f.Id,
        ["name"] = f.Name,
        ["title"] = f.Title ?? f.Name,
        ["size"] = f.Length,
        ["mimetype"] = f.Mimetype ?? MimetypeOf(f.Name),
        ["user"] = f.Owner ?? BotUserId,
        ["permalink"] = $"https://{_options.TeamName.ToLowerInvariant().Replace(' ', '-')}.slack.com/files/{BotUserId}/{f.Id}/{f.Name}",
        ["url_private"] = $"{BaseUrl}files/{f.Id}/{f.Name}",
        ["channels"] = Array(f.Channels),
    };
}
