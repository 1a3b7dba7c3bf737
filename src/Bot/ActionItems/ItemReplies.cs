using Bot.Access;
using Bot.People;
using Bot.Postmortems.Scheduling;
using Bot.Slack.Blocks;
using Bot.Slack.Handlers;
using Bot.Slack.Interactivity;
using Bot.Slack.WebApi;

namespace Bot.ActionItems;

/// <summary>What every item button shares: the clicker's zone, and the one answer each outcome of a change gets
/// (only the clicker sees it, through the click's response_url).</summary>
public sealed class ItemReplies(ActionItemStore store, UserDirectory people, AccessPolicy access, ISlackApi slack, TimeProvider time, Home.HomeRefresh homes)
{
    public ActionItemStore Store => store;
    public DateTimeOffset Now => time.GetUtcNow();

    public async Task<TimeZoneInfo> ZoneOf(string user, CancellationToken ct) =>
        TimeZones.Find((await people.People([user], ct)).GetValueOrDefault(user)?.Tz);

    /// <summary>A click in a message is answered through its response_url; a click on the Home tab (a view has none)
    /// by a notice at the top of the clicker's Home, republished at once.</summary>
    public async Task Say(BlockActionsPayload payload, string text, CancellationToken ct)
    {
        if (payload.ResponseUrl is null)
        {
            if (payload.View?.Type == "home" && payload.User?.Id is { } user) await homes.Notice(user, text, ct);
            return;
        }
        await slack.Respond(payload.ResponseUrl, new MessageResponse { ResponseType = "ephemeral", Text = text, ReplaceOriginal = false }, ct);
    }

    /// <summary>Mentions as names, for a modal's field error (plain text in Slack).</summary>
    public Task<string> Plain(string text, CancellationToken ct) => access.Plain(text, ct);

    /// <summary>The answer to a change; <paramref name="done"/> says what a successful one did.</summary>
    public string Describe(ChangeOutcome outcome, Func<ActionItem, string> done, TimeZoneInfo zone) => outcome switch
    {
        ChangeOutcome.Changed c => done(c.After) + (c.AllSettled
            ? $"\n:tada: That was the last open action item of incident #{c.After.IncidentNumber}: every item is done or dropped."
            : ""),
        ChangeOutcome.Repeated r => $"Already done: that button was used before, so nothing changed. {Where(r.Item, zone)}",
        ChangeOutcome.Stale s => $":information_source: This item changed since this message was sent, so I did nothing. {Where(s.Item, zone)}",
        ChangeOutcome.NotAllowed n => NotAllowed(n.Item),
        ChangeOutcome.Unchanged u => $"Nothing to change. {Where(u.Item, zone)}",
        _ => "That action item no longer exists.",
    };

    public string NotAllowed(ActionItem item) =>
        $"Sorry, only the item's owner ({(item.OwnerId is null ? "nobody yet" : Mrkdwn.User(item.OwnerId))})" +
        (IncidentHolders.AdminList(access.Admins) is { } admins
            ? $", the post-mortem's point person ({Mrkdwn.User(item.PointPersonId)}) or an admin ({admins})"
            : $" or the post-mortem's point person ({Mrkdwn.User(item.PointPersonId)})") +
        " can change it. Ask one of them, or ask the point person to reassign it to you.";

    private string Where(ActionItem item, TimeZoneInfo zone) =>
        $"It stands as:\n{ActionItemBlocks.Line(item, Now, zone, withIncident: true)}" +
        (item.UpdatedBy is null ? "" : $"\n_last changed by {Mrkdwn.User(item.UpdatedBy)}_");
}
