using System.Collections.Concurrent;
using System.Text.Json;
using Bot.Slack.Handlers;
using Bot.Slack.WebApi;

namespace Bot.Slack.Tests.Support;

/// <summary>An ISlackApi that only records response_url replies; the dispatcher uses nothing else.</summary>
public sealed class RecordingSlackApi : ISlackApi
{
    public ConcurrentQueue<(string Url, MessageResponse Message)> Responses { get; } = new();

    public Task Respond(string responseUrl, MessageResponse message, CancellationToken ct = default)
    {
        Responses.Enqueue((responseUrl, message));
        return Task.CompletedTask;
    }

    public IAuthApi Auth => throw Unused();
    public IChatApi Chat => throw Unused();
    public IConversationsApi Conversations => throw Unused();
    public IUsersApi Users => throw Unused();
    public IUsergroupsApi Usergroups => throw Unused();
    public IViewsApi Views => throw Unused();
    public IPinsApi Pins => throw Unused();
    public IFilesApi Files => throw Unused();
    public Task<JsonElement> Call(string method, IReadOnlyDictionary<string, object?> args, CancellationToken ct = default) => throw Unused();

    private static InvalidOperationException Unused() => new("The inbound tests only expect Respond to be called.");
}
