using Bot.ActionItems;
using Bot.People;
using Bot.Postmortems.Scheduling;
using Bot.Slack.Blocks;

namespace Bot.Home;

/// <summary>One person's Home tab: the answer to their last click on it, their open incidents, their upcoming
/// post-mortem meetings, their open action items (with Done and Snooze), then the workspace's open incidents.
/// Every list is capped and says how many more there are, so the view stays under Slack's 100 blocks (about 95 at
/// most: 1 + 12 + 12 + 23 + 44 and three dividers).</summary>
public sealed class HomeContents(HomeQueries queries, HomeActionItems myItems, UserDirectory people, TimeProvider time)
{
    public const int MaxMine = 10;
    public const int MaxListed = 35;

    public async Task<HomeView> View(string teamId, string userId, string? notice, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var zone = TimeZones.Find((await people.People([userId], ct)).GetValueOrDefault(userId)?.Tz);
        var blocks = new List<Block>();
        if (!string.IsNullOrEmpty(notice)) blocks.Add(Block.Section(notice));

        var mine = await queries.MyOpenIncidents(teamId, userId, MaxMine, ct);
        if (mine.Count > 0)
        {
            blocks.Add(Block.Header("Your open incidents"));
            blocks.AddRange(mine.Select(i => Block.Section(IncidentLine(i, mineRole: true))));
            More(blocks, mine, "open incidents you are part of");
        }

        var meetings = await queries.MyUpcomingMeetings(teamId, userId, now, MaxMine, ct);
        if (meetings.Count > 0)
        {
            if (blocks.Count > 0) blocks.Add(Block.Divider());
            blocks.Add(Block.Header("Your upcoming post-mortem meetings"));
            blocks.AddRange(meetings.Select(m => Block.Section(MeetingLine(m, userId, zone))));
            More(blocks, meetings, "meetings");
        }

        var items = await myItems.Blocks(userId, zone, ct);
        if (items.Count > 0)
        {
            if (blocks.Count > 0) blocks.Add(Block.Divider());
            blocks.AddRange(items);
        }

        if (blocks.Count > 0) blocks.Add(Block.Divider());
        var open = await queries.OpenIncidents(teamId, userId, MaxListed, ct);
        blocks.Add(Block.Header("Open incidents"));
        if (open.Count == 0)
            blocks.Add(Block.Section($"No open incidents. Type `{Incidents.Usage.New}` in any channel to open one."));
        blocks.AddRange(open.Select(i => Block.Section(IncidentLine(i, mineRole: false))));
        if (open.Count > 0 && open[0].Total > open.Count)
            blocks.Add(Block.Context($"…and {open[0].Total - open.Count} more. Showing the {MaxListed} most recent open incidents."));
        blocks.Add(Block.Divider());
        blocks.Add(Block.Context("In an incident channel: `/incident help` lists the commands. React to messages to mark them for the post-mortem. " +
                                 "`/incident stats` shows how incidents went."));
        return new HomeView { Blocks = blocks };
    }

    private static void More<T>(List<Block> blocks, IReadOnlyList<T> shown, string what) where T : HomeQueries.Counted
    {
        if (shown.Count > 0 && shown[0].Total > shown.Count)
            blocks.Add(Block.Context($"…and {shown[0].Total - shown.Count} more {what}."));
    }

    internal static string IncidentLine(HomeQueries.OpenIncident incident, bool mineRole)
    {
        var channel = incident.ChannelId is not null ? Mrkdwn.Channel(incident.ChannelId)
            : incident.ChannelFailed ? "_channel could not be opened: the reporter can retry or cancel_"
            : "_channel being created_";
        var severity = incident.Severity is null ? "" : $" · {incident.Severity.ToUpperInvariant()}";
        var privacy = incident.IsPrivate ? " · :lock: private" : "";
        var role = mineRole && incident.MyRole is { Length: > 0 } r ? $" · you: {Mrkdwn.Escape(r)}" : "";
        return $"*#{incident.Number} {Mrkdwn.Escape(incident.Title)}*\n{channel} · {incident.Status}{severity}{privacy} · commander {Mrkdwn.User(incident.CommanderId)}{role}";
    }

    internal static string MeetingLine(HomeQueries.UpcomingMeeting m, string userId, TimeZoneInfo zone)
    {
        var start = new DateTimeOffset(DateTime.SpecifyKind(m.StartsAt, DateTimeKind.Utc));
        var role = userId == m.ModeratorId ? " · you moderate" : userId == m.NotetakerId ? " · you take notes" : "";
        var channel = m.ChannelId is null ? "" : " · " + Mrkdwn.Channel(m.ChannelId);
        return $"*{TimeZones.Describe(start, zone)}* ({m.DurationMinutes ?? 45} min)\nPost-mortem of #{m.Number} {Mrkdwn.Escape(m.Title)}{channel}{role}";
    }
}
