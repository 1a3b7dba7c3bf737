using System.Text.Json;
using Bot.Slack.Blocks;
using Bot.Slack.Events;

namespace Bot.Slack.WebApi;

// The method groups. Write methods send JSON (what Slack recommends for them); read methods and the
// files methods send forms, since several of them do not accept JSON bodies.
public sealed partial class SlackApiClient
{
    private sealed class AuthApi(SlackApiClient api) : IAuthApi
    {
        public async Task<AuthTestResult> Test(CancellationToken ct = default)
        {
            var r = await api.PostForm("auth.test", [], ct).ConfigureAwait(false);
            return new AuthTestResult(r.Str("user_id"), r.Str("user"), r.Str("team_id"), r.Str("team"), r.Str("bot_id"), r.Str("url"));
        }
    }

    private sealed class ChatApi(SlackApiClient api) : IChatApi
    {
        public async Task<PostedMessage> PostMessage(OutgoingMessage message, CancellationToken ct = default)
        {
            var args = MessageArgs(message);
            if (message.IdempotencyKey is not { } key)
            {
                var r = await api.PostJson("chat.postMessage", args, ct).ConfigureAwait(false);
                return new PostedMessage(r.Str("channel") ?? message.Channel, r.Required("chat.postMessage", "ts"));
            }
            args.Add("metadata", new Dictionary<string, object?> { ["event_type"] = PostedKeys.EventType, ["event_payload"] = new Dictionary<string, object?> { ["key"] = key } });
            if (message.LookFirst && await api.FindPosted(message.Channel, key, ct).ConfigureAwait(false) is { } earlier) return earlier;
            var posted = await api.PostJson("chat.postMessage", args, ct, landed: c => api.FindPosted(message.Channel, key, c)).ConfigureAwait(false);
            return posted.Str("ts") is { } ts ? new PostedMessage(posted.Str("channel") ?? message.Channel, ts)
                : new PostedMessage(message.Channel, posted.Required("chat.postMessage", "ts"));
        }

        public async Task<string?> PostEphemeral(string user, OutgoingMessage message, CancellationToken ct = default)
        {
            var args = MessageArgs(message);
            args.Add("user", user);
            var r = await api.PostJson("chat.postEphemeral", args, ct).ConfigureAwait(false);
            return r.Str("message_ts");
        }

        public async Task<PostedMessage> Update(string channel, string ts, string? text, IReadOnlyList<Block>? blocks, CancellationToken ct = default)
        {
            var args = new SlackArgs
            {
                { "channel", channel },
                { "ts", ts },
                { "text", text },
                { "blocks", blocks is null ? null : BlockLimits.ForMessage(blocks) },
            };
            var r = await api.PostJson("chat.update", args, ct).ConfigureAwait(false);
            return new PostedMessage(r.Str("channel") ?? channel, r.Str("ts") ?? ts);
        }

        public async Task<string> GetPermalink(string channel, string messageTs, CancellationToken ct = default)
        {
            var r = await api.PostForm("chat.getPermalink", new SlackArgs { { "channel", channel }, { "message_ts", messageTs } }, ct)
                .ConfigureAwait(false);
            return r.Required("chat.getPermalink", "permalink");
        }

        private static SlackArgs MessageArgs(OutgoingMessage m) => new()
        {
            { "channel", m.Channel },
            { "text", m.Text },
            { "blocks", m.Blocks is null ? null : BlockLimits.ForMessage(m.Blocks) },
            { "thread_ts", m.ThreadTs },
            { "unfurl_links", m.UnfurlLinks },
            { "mrkdwn", m.Mrkdwn },
        };
    }

    private sealed class ConversationsApi(SlackApiClient api) : IConversationsApi
    {
        public async Task<Conversation> Create(string name, bool isPrivate = false, CancellationToken ct = default)
        {
            // Not repeated after a lost answer: the retry would meet name_taken on the channel it made. The caller finds
            // out what exists (OpenIncidentChannelJob adopts a channel of a name it asked for).
            var r = await api.PostJson("conversations.create", new SlackArgs { { "name", name }, { "is_private", isPrivate } }, ct,
                    repeatable: false)
                .ConfigureAwait(false);
            return SlackJsonRead.Conversation(r.RequiredObject("conversations.create", "channel"));
        }

        public async Task Invite(string channel, IEnumerable<string> users, CancellationToken ct = default)
        {
            foreach (var chunk in users.Distinct(StringComparer.Ordinal).Chunk(1000))
            {
                try
                {
                    await api.PostJson("conversations.invite", new SlackArgs { { "channel", channel }, { "users", string.Join(',', chunk) } }, ct)
                        .ConfigureAwait(false);
                }
                catch (SlackApiException e) when (e.Error == "already_in_channel")
                {
                    // Jobs run at least once: inviting someone who is already there is the state we wanted.
                }
            }
        }

        public Task SetTopic(string channel, string topic, CancellationToken ct = default) =>
            api.PostJson("conversations.setTopic", new SlackArgs { { "channel", channel }, { "topic", topic } }, ct);

        public Task SetPurpose(string channel, string purpose, CancellationToken ct = default) =>
            api.PostJson("conversations.setPurpose", new SlackArgs { { "channel", channel }, { "purpose", purpose } }, ct);

        public async Task<Conversation> Info(string channel, CancellationToken ct = default)
        {
            var r = await api.PostForm("conversations.info", new SlackArgs { { "channel", channel }, { "include_num_members", true } }, ct)
                .ConfigureAwait(false);
            return SlackJsonRead.Conversation(r.RequiredObject("conversations.info", "channel"));
        }

        public Task<IReadOnlyList<string>> Members(string channel, CancellationToken ct = default) =>
            api.Paginate("conversations.members", new SlackArgs { { "channel", channel } }, "members", m => m.GetString() ?? "", ct);

        public Task<IReadOnlyList<MessageEvent>> History(string channel, string? oldest = null, string? latest = null, CancellationToken ct = default) =>
            api.Paginate("conversations.history", new SlackArgs { { "channel", channel }, { "oldest", oldest }, { "latest", latest } },
                "messages", SlackJsonRead.Message, ct);

        public async Task<MessagePage> HistoryPage(string channel, string? oldest = null, string? cursor = null, CancellationToken ct = default)
        {
            var args = new SlackArgs { { "channel", channel }, { "oldest", oldest }, { "cursor", cursor }, { "limit", api.Options.PageSize } };
            var r = await api.PostForm("conversations.history", args, ct).ConfigureAwait(false);
            var next = r.NextCursor();
            // A server that hands back the cursor it was given would loop forever.
            return new MessagePage(r.Array("messages").Select(SlackJsonRead.Message).ToList(), next == cursor ? null : next);
        }

        public Task Join(string channel, CancellationToken ct = default) =>
            api.PostJson("conversations.join", new SlackArgs { { "channel", channel } }, ct);

        public Task<IReadOnlyList<MessageEvent>> Replies(string channel, string threadTs, CancellationToken ct = default) =>
            api.Paginate("conversations.replies", new SlackArgs { { "channel", channel }, { "ts", threadTs } },
                "messages", SlackJsonRead.Message, ct);

        public async Task<string> Open(IEnumerable<string> users, CancellationToken ct = default)
        {
            var r = await api.PostJson("conversations.open", new SlackArgs { { "users", string.Join(',', users) } }, ct).ConfigureAwait(false);
            return r.RequiredObject("conversations.open", "channel").Required("conversations.open", "id");
        }

        public async Task Archive(string channel, CancellationToken ct = default)
        {
            try
            {
                await api.PostJson("conversations.archive", new SlackArgs { { "channel", channel } }, ct).ConfigureAwait(false);
            }
            catch (SlackApiException e) when (e.Error == "already_archived")
            {
                // Archiving twice (a retried job) leaves the channel as wanted.
            }
        }
    }

    private sealed class UsersApi(SlackApiClient api) : IUsersApi
    {
        public async Task<SlackUser> Info(string user, CancellationToken ct = default)
        {
            var r = await api.PostForm("users.info", new SlackArgs { { "user", user } }, ct).ConfigureAwait(false);
            return SlackJsonRead.User(r.RequiredObject("users.info", "user"));
        }

        public Task<IReadOnlyList<SlackUser>> List(CancellationToken ct = default) =>
            api.Paginate("users.list", [], "members", SlackJsonRead.User, ct);
    }

    private sealed class UsergroupsApi(SlackApiClient api) : IUsergroupsApi
    {
        public async Task<IReadOnlyList<UserGroup>> List(bool includeUsers = true, CancellationToken ct = default)
        {
            // usergroups.list is not paginated: one answer holds every group.
            var r = await api.PostForm("usergroups.list", new SlackArgs { { "include_users", includeUsers } }, ct).ConfigureAwait(false);
            return r.Array("usergroups").Select(SlackJsonRead.UserGroup).ToList();
        }
    }

    private sealed class ViewsApi(SlackApiClient api) : IViewsApi
    {
        public Task<OpenedView> Open(string triggerId, View view, CancellationToken ct = default) =>
            Send("views.open", new SlackArgs { { "trigger_id", triggerId }, { "view", view } }, ct);

        public Task<OpenedView> Update(string viewId, View view, string? hash = null, CancellationToken ct = default) =>
            Send("views.update", new SlackArgs { { "view_id", viewId }, { "view", view }, { "hash", hash } }, ct);

        public Task<OpenedView> Publish(string userId, View view, CancellationToken ct = default) =>
            Send("views.publish", new SlackArgs { { "user_id", userId }, { "view", view } }, ct);

        private async Task<OpenedView> Send(string method, SlackArgs args, CancellationToken ct)
        {
            var r = await api.PostJson(method, args, ct).ConfigureAwait(false);
            var v = r.RequiredObject(method, "view");
            return new OpenedView(v.Required(method, "id"), v.Str("hash"));
        }
    }

    private sealed class PinsApi(SlackApiClient api) : IPinsApi
    {
        public async Task Add(string channel, string timestamp, CancellationToken ct = default)
        {
            try
            {
                await api.PostJson("pins.add", new SlackArgs { { "channel", channel }, { "timestamp", timestamp } }, ct).ConfigureAwait(false);
            }
            catch (SlackApiException e) when (e.Error == "already_pinned")
            {
                // A retried job pinning again: the message is pinned, as wanted.
            }
        }

        public async Task<IReadOnlyList<PinnedItem>> List(string channel, CancellationToken ct = default)
        {
            var r = await api.PostForm("pins.list", new SlackArgs { { "channel", channel } }, ct).ConfigureAwait(false);
            // pins.list items often omit their channel; it is the one asked about.
            return r.Array("items").Select(SlackJsonRead.Pin).Select(pin => pin.Channel is null ? pin with { Channel = channel } : pin).ToList();
        }
    }

    private sealed class FilesApi(SlackApiClient api) : IFilesApi
    {
        public async Task<UploadedFile> Upload(string filename, ReadOnlyMemory<byte> content, string? title = null, string? channel = null,
            string? initialComment = null, string? threadTs = null, CancellationToken ct = default)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(filename);
            var ticket = await api.PostForm("files.getUploadURLExternal",
                new SlackArgs { { "filename", filename }, { "length", content.Length } }, ct).ConfigureAwait(false);
            var uploadUrl = ticket.Required("files.getUploadURLExternal", "upload_url");
            var fileId = ticket.Required("files.getUploadURLExternal", "file_id");

            await api.PostBytes("files.upload_url", uploadUrl, content, ct).ConfigureAwait(false);

            var files = new[] { new Dictionary<string, string> { ["id"] = fileId, ["title"] = title ?? filename } };
            var done = await api.PostForm("files.completeUploadExternal", new SlackArgs
            {
                { "files", files },
                { "channel_id", channel },
                { "initial_comment", channel is null ? null : initialComment },
                { "thread_ts", channel is null ? null : threadTs },
            }, ct).ConfigureAwait(false);
            var file = done.Array("files").FirstOrDefault();
            return file.ValueKind == JsonValueKind.Object
                ? new UploadedFile(file.Str("id") ?? fileId, file.Str("title") ?? title, file.Str("permalink"))
                : new UploadedFile(fileId, title ?? filename, null);
        }
    }
}
