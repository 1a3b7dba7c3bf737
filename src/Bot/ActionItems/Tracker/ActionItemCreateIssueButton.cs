using Bot.Database;
using Bot.Slack.Blocks;
using Bot.Slack.Handlers;
using Bot.Slack.Interactivity;
using Microsoft.Extensions.Options;

namespace Bot.ActionItems.Tracker;

/// <summary>Create issue: checks who clicked and whether the item has one, then leaves the GitHub call to a job (the
/// click is answered within Slack's 3 s; the job answers through the click's response_url).</summary>
public sealed class ActionItemCreateIssueButton(ItemReplies replies, Db db, IOptions<ActionItemOptions> options) : IBlockActionHandler
{
    public async Task Handle(BlockAction action, BlockActionsPayload payload, CancellationToken ct)
    {
        if (payload.User?.Id is not { } user || ActionItemBlocks.ParseRef(action.Value) is not { } reference) return;
        var item = await replies.Store.Get(reference.Id, ct);
        if (item is null)
        {
            await replies.Say(payload, "That action item no longer exists.", ct);
            return;
        }
        if (!replies.Store.MayChange(item, user))
        {
            await replies.Say(payload, replies.NotAllowed(item), ct);
            return;
        }
        if (!options.Value.GitHub.Enabled)
        {
            await replies.Say(payload, "No tracker is configured (Bot:ActionItems:GitHub:Repository and Token).", ct);
            return;
        }
        if (item.IssueUrl is not null)
        {
            await replies.Say(payload, $"It has an issue already: {Mrkdwn.Link(item.IssueUrl)}", ct);
            return;
        }
        var responseUrl = payload.ResponseUrl;
        await db.InTransaction((_, jobs) =>
        {
            jobs.Enqueue<CreateIssueJob>(j => j.Run(item.Id, responseUrl, CancellationToken.None));
            return Task.CompletedTask;
        }, ct);
    }
}
