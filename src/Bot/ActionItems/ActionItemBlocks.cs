using System.Globalization;
using Bot.Postmortems.Scheduling;
using Bot.Slack.Blocks;
using Bot.Timeline;

namespace Bot.ActionItems;

/// <summary>How an item reads in Slack, and the buttons that act on it. Every button carries "id:version" (the
/// select, which has no value, carries it in its block id), so a click works after a restart and an outdated one
/// is recognised.</summary>
public static class ActionItemBlocks
{
    public const string Done = "action_item_done";
    public const string SnoozeDay = "action_item_snooze_day";
    public const string SnoozeWeek = "action_item_snooze_week";
    public const string WontDo = "action_item_wont_do";
    public const string Reassign = "action_item_reassign";
    public const string Edit = "action_item_edit";
    public const string CreateIssue = "action_item_create_issue";

    private const string BlockPrefix = "action_item:";

    public static string Ref(ActionItem item) => $"{item.Id.ToString(CultureInfo.InvariantCulture)}:{item.Version.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>"id:version" (or "action_item:id:version") → the pair; null when it is not one.</summary>
    public static (long Id, int Version)? ParseRef(string? value)
    {
        if (string.IsNullOrEmpty(value)) return null;
        if (value.StartsWith(BlockPrefix, StringComparison.Ordinal)) value = value[BlockPrefix.Length..];
        var parts = value.Split(':');
        return parts.Length == 2
               && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var id)
               && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var version)
            ? (id, version) : null;
    }

    /// <summary>The item's text as it may be shown again: mentions kept, channel-wide and group pings defused.</summary>
    public static string Text(ActionItem item) => TimelineText.Defused(item.Text);

    /// <summary>"*text*\nowner · due · status", for a reader in <paramref name="zone"/>.</summary>
    public static string Line(ActionItem item, DateTimeOffset now, TimeZoneInfo zone, bool withIncident)
    {
        var parts = new List<string>
        {
            item.OwnerId is null ? ":grey_question: no owner yet" : $"owner {Mrkdwn.User(item.OwnerId)}",
            Due(item, now, zone),
        };
        var status = item.ShownStatus(now);
        parts.Add(status switch
        {
            ItemStatus.Snoozed => $"snoozed until {Day(item.Snoozed!.Value, zone)}",
            ItemStatus.Dropped => "won't do" + (string.IsNullOrWhiteSpace(item.DropReason) ? "" : $": _{Mrkdwn.Escape(item.DropReason)}_"),
            _ => status,
        });
        if (LinkText(item.IssueUrl ?? item.Link) is { } link) parts.Add(link);
        var incident = withIncident
            ? $"\n_incident #{item.IncidentNumber} {Mrkdwn.Escape(item.IncidentTitle)}{Channel(item.ChannelId)}_"
            : "";
        var mark = item.Status switch { ItemStatus.Done => ":white_check_mark: ", ItemStatus.Dropped => ":heavy_minus_sign: ", _ => "" };
        return $"{mark}*{Text(item)}*\n{string.Join(" · ", parts)}{incident}";
    }

    public static string Due(ActionItem item, DateTimeOffset now, TimeZoneInfo zone)
    {
        if (item.DueOn is null || item.Due is not { } due) return "no due date";
        if (!item.IsOpen) return $"due {item.DueOn}";
        var today = DateOnly.FromDateTime(TimeZones.ToLocal(now, zone));
        var day = DateOnly.ParseExact(item.DueOn, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        if (due < now)
        {
            var late = Math.Max(1, today.DayNumber - day.DayNumber);
            return $":warning: *overdue* (due {item.DueOn}, {late} day{(late == 1 ? "" : "s")} ago)";
        }
        var ahead = day.DayNumber - today.DayNumber;
        return ahead <= 0 ? $"due *today* ({item.DueOn})" : ahead == 1 ? $"due *tomorrow* ({item.DueOn})" : $"due {item.DueOn} (in {ahead} days)";
    }

    /// <summary>The chase DM's buttons (and the escalation's).</summary>
    public static ActionsBlock ChaseActions(ActionItem item, bool createIssue) => new(Elements(item, edit: false, createIssue))
    {
        BlockId = BlockPrefix + Ref(item),
    };

    /// <summary>A list's buttons: the same, with Edit.</summary>
    public static ActionsBlock ListActions(ActionItem item, bool createIssue) => new(Elements(item, edit: true, createIssue))
    {
        BlockId = BlockPrefix + Ref(item),
    };

    /// <summary>The Home tab's buttons: Done and Snooze only (the rest need a modal or a picker; the list has them).</summary>
    public static ActionsBlock HomeActions(ActionItem item) => new(
    [
        new ButtonElement(Done, "Done") { Value = Ref(item), Style = ButtonStyle.Primary },
        new ButtonElement(SnoozeDay, "Snooze 1 day") { Value = Ref(item) },
        new ButtonElement(SnoozeWeek, "Snooze 1 week") { Value = Ref(item) },
    ])
    {
        BlockId = BlockPrefix + Ref(item),
    };

    private static List<BlockElement> Elements(ActionItem item, bool edit, bool createIssue)
    {
        var value = Ref(item);
        var elements = new List<BlockElement>();
        if (item.IsOpen)
        {
            elements.Add(new ButtonElement(Done, "Done") { Value = value, Style = ButtonStyle.Primary });
            elements.Add(new ButtonElement(SnoozeDay, "Snooze 1 day") { Value = value });
            elements.Add(new ButtonElement(SnoozeWeek, "Snooze 1 week") { Value = value });
            elements.Add(new ButtonElement(WontDo, "Won't do") { Value = value, Style = ButtonStyle.Danger });
            elements.Add(new UsersSelectElement { ActionId = Reassign, Placeholder = new PlainText("Reassign") });
        }
        if (edit) elements.Add(new ButtonElement(Edit, "Edit") { Value = value });
        if (createIssue && item.IssueUrl is null) elements.Add(new ButtonElement(CreateIssue, "Create issue") { Value = value });
        return elements;
    }

    /// <summary>" · #channel", or nothing when the id is missing or not one Slack would give.</summary>
    private static string Channel(string? channelId)
    {
        if (channelId is null) return "";
        try { return " · " + Mrkdwn.Channel(channelId); }
        catch (ArgumentException) { return ""; }
    }

    public static string Day(DateTimeOffset instant, TimeZoneInfo zone) =>
        TimeZones.ToLocal(instant, zone).ToString("ddd d MMM", CultureInfo.InvariantCulture);

    private static string? LinkText(string? url)
    {
        if (url is null) return null;
        try { return Mrkdwn.Link(url, url.Contains("github.com", StringComparison.OrdinalIgnoreCase) && url.Contains("/issues/", StringComparison.Ordinal) ? "issue" : "link"); }
        catch (ArgumentException) { return null; }
    }
}
