using Bot.Incidents;
using Bot.People;
using Bot.Postmortems.Scheduling;
using Bot.Slack.Blocks;
using Bot.Slack.Handlers;
using Bot.Slack.Interactivity;
using Microsoft.Extensions.Options;

namespace Bot.ActionItems;

/// <summary><c>/postmortem action ...</c>, <c>/postmortem actions</c> and <c>/postmortem actions mine</c>: one short
/// transaction or read each, answered within Slack's 3 s.</summary>
public sealed class ActionItemCommands(ActionItemStore store, UserDirectory people, IOptions<ActionItemOptions> options, TimeProvider time)
{
    public const string Usage = "/postmortem action <text> @owner [due tomorrow|in 3 days|fri|2026-12-10] [link <url>]";
    public const string ListUsage = "/postmortem actions [mine]";

    // Slack shows at most 100 blocks; each item takes two, the header and footer a few.
    private const int MaxListed = 45;

    public async Task<MessageResponse> Add(SlashCommand command, Incident incident, string rest, CancellationToken ct)
    {
        var by = command.UserId ?? "";
        if (ActionCommandParser.Parse(rest, out var error) is not { } request) return MessageResponse.Ephemeral($"{error}\nUsage: `{Usage}`");
        var zone = await ZoneOf(by, ct);
        DueDate? due = null;
        if (request.Due is not null && (due = DueDates.Parse(request.Due, time.GetUtcNow(), zone, out var dueError)) is null)
            return MessageResponse.Ephemeral($"{dueError}\nUsage: `{Usage}`");
        var item = await store.Create(incident.Id, request.Text, request.OwnerId, due, request.Link, by, ct);
        var text = $":memo: Action item added by {Mrkdwn.User(by)}: *{ActionItemBlocks.Text(item)}*\n" +
                   (item.OwnerId is null ? "No owner yet: the point person can name one with *Edit*." : $"Owner {Mrkdwn.User(item.OwnerId)}") +
                   $" · {ActionItemBlocks.Due(item, time.GetUtcNow(), zone)}" +
                   (item.OwnerId is not null && item.DueOn is null ? "\nNo due date yet: *Edit* sets one, so reminders can start." : "");
        return MessageResponse.InChannel(text,
        [
            Block.Section(text),
            Block.Actions(new ButtonElement(ActionItemBlocks.Edit, "Edit") { Value = ActionItemBlocks.Ref(item) }),
        ]);
    }

    public async Task<MessageResponse> List(Incident incident, string by, CancellationToken ct)
    {
        var items = await store.ForIncident(incident.Id, ct);
        var zone = await ZoneOf(by, ct);
        var now = time.GetUtcNow();
        var open = items.Count(i => i.IsOpen);
        var summary = items.Count == 0
            ? $"No action items yet for incident #{incident.Number}. Add one with `{Usage}` or react :memo: to a message."
            : $"*Action items of incident #{incident.Number}* ({open} open, {items.Count - open} settled)";
        return MessageResponse.Ephemeral(summary, Render(summary, items, now, zone, withIncident: false));
    }

    public async Task<MessageResponse> Mine(string by, CancellationToken ct)
    {
        var items = await store.OpenFor(by, ct);
        var zone = await ZoneOf(by, ct);
        var summary = items.Count == 0
            ? "You own no open action items. :sparkles:"
            : $"*Your open action items* ({items.Count}), across incidents";
        return MessageResponse.Ephemeral(summary, Render(summary, items, time.GetUtcNow(), zone, withIncident: true));
    }

    private List<Block> Render(string summary, IReadOnlyList<ActionItem> items, DateTimeOffset now, TimeZoneInfo zone, bool withIncident)
    {
        var blocks = new List<Block> { Block.Section(summary) };
        foreach (var item in items.Take(MaxListed))
        {
            blocks.Add(Block.Section(ActionItemBlocks.Line(item, now, zone, withIncident)));
            blocks.Add(ActionItemBlocks.ListActions(item, options.Value.GitHub.Enabled));
        }
        if (items.Count > MaxListed) blocks.Add(Block.Context($"…and {items.Count - MaxListed} more."));
        return blocks;
    }

    private async Task<TimeZoneInfo> ZoneOf(string user, CancellationToken ct) =>
        TimeZones.Find((await people.People([user], ct)).GetValueOrDefault(user)?.Tz);
}
