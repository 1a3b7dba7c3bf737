using Bot.Database;
using Bot.People;
using Bot.Slack.Blocks;
using Bot.Slack.Handlers;
using Bot.Slack.WebApi;
using Dapper;
using Hangfire;

namespace Bot.ActionItems.Tracker;

/// <summary>Opens the GitHub issue of an item and stores its URL, once: the item is leased (issue_claimed_at) before
/// the request, so a second click or a retry does not open a second issue while the first is on its way.</summary>
[AutomaticRetry(Attempts = 2, DelaysInSeconds = [30, 120])]
public sealed class CreateIssueJob(Db db, ActionItemStore store, GitHubIssues github, UserDirectory people, ISlackApi slack, TimeProvider time,
    ILogger<CreateIssueJob> logger)
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    public async Task Run(long itemId, string? responseUrl, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using (var conn = await db.OpenConnectionAsync(ct))
        {
            var claimed = await conn.ExecuteScalarAsync<int?>(new CommandDefinition("""
                update action_items set issue_claimed_at = @now
                where id = @itemId and issue_url is null and (issue_claimed_at is null or issue_claimed_at < @stale)
                returning 1
                """, new { itemId, now, stale = now - Lease }, cancellationToken: ct));
            if (claimed is null) return;
        }
        if (await store.Get(itemId, ct) is not { } item) return;
        var names = await people.People(item.OwnerId is null ? [] : [item.OwnerId], ct);
        var owner = item.OwnerId is null ? "nobody yet" : names.TryGetValue(item.OwnerId, out var p) ? p.RealName ?? p.Name : item.OwnerId;
        var text = ActionItemStore.Plain(item.Text, id => names.GetValueOrDefault(id)?.Name, _ => null);
        var body = $"Action item from the post-mortem of incident #{item.IncidentNumber} \"{item.IncidentTitle}\".\n\n" +
                   $"- Owner: {owner}\n- Due: {item.DueOn ?? "not set"}\n" +
                   (item.Permalink is null ? "" : $"- Raised in Slack: {item.Permalink}\n") +
                   (item.Link is null ? "" : $"- Link: {item.Link}\n");
        GitHubIssues.Created created;
        try
        {
            created = await github.Create(text.Length <= 200 ? text : text[..199] + "…", body, ct);
        }
        catch (GitHubException e)
        {
            await Release(itemId);
            logger.LogWarning("GitHub issue for action item {Item} not created: {Error}", itemId, e.Message);
            await Say(responseUrl, $":warning: The issue could not be created: {Mrkdwn.Escape(e.Message)}", ct);
            return;
        }
        await using (var conn = await db.OpenConnectionAsync(ct))
            await conn.ExecuteAsync(new CommandDefinition(
                "update action_items set issue_url = @url where id = @itemId and issue_url is null", new { url = created.Url, itemId }, cancellationToken: ct));
        await Say(responseUrl, $":link: Opened {Mrkdwn.Link(created.Url, $"issue #{created.Number}")} for *{ActionItemBlocks.Text(item)}*.", ct);
    }

    private async Task Release(long itemId)
    {
        await using var conn = await db.OpenConnectionAsync();
        await conn.ExecuteAsync("update action_items set issue_claimed_at = null where id = @itemId and issue_url is null", new { itemId });
    }

    private async Task Say(string? responseUrl, string text, CancellationToken ct)
    {
        if (responseUrl is null) return;
        try
        {
            await slack.Respond(responseUrl, new MessageResponse { ResponseType = "ephemeral", Text = text, ReplaceOriginal = false }, ct);
        }
        catch (SlackApiException e)
        {
            // A response_url lasts 30 minutes; the issue is stored either way.
            logger.LogInformation("Could not answer the Create issue click: {Error}", e.Error);
        }
    }
}
