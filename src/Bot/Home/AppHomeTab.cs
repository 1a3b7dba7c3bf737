using Bot.Database;
using Bot.Incidents;
using Bot.Slack.Blocks;
using Bot.Slack.Events;
using Bot.Slack.Handlers;
using Bot.Slack.WebApi;
using Dapper;

namespace Bot.Home;

/// <summary>The Home tab: the workspace's open incidents with their channels, and how to open one. Published
/// each time someone opens it, so it is never stale and needs no bookkeeping.</summary>
public sealed class AppHomeTab(Db db, ISlackApi slack, ActionItems.HomeActionItems myItems) : IEventHandler<AppHomeOpenedEvent>
{
    /// <summary>Slack truncates a view at 100 blocks; the header, help and footer take a few.</summary>
    private const int MaxListed = 40;

    public async Task Handle(AppHomeOpenedEvent e, EventContext context, CancellationToken ct)
    {
        if (e.Tab != "home" || e.User is null || context.TeamId is null) return;
        var open = await OpenIncidents(context.TeamId, e.User, ct);
        var view = Render(open);
        await slack.Views.Publish(e.User, view with { Blocks = [.. view.Blocks, .. await myItems.Blocks(e.User, ct)] }, ct);
    }

    internal sealed record OpenIncident(int Number, string Title, string? Severity, string Status, string? ChannelId, string CommanderId, bool IsPrivate, bool ChannelFailed);

    /// <summary>A private incident is listed only to the members of its channel: its title is not for everyone.</summary>
    private async Task<IReadOnlyList<OpenIncident>> OpenIncidents(string teamId, string userId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<OpenIncident>(new CommandDefinition($$"""
            select i.number, i.title, i.severity, i.status, i.channel_id, i.commander_id, i.is_private,
                   i.channel_failed_at is not null as channel_failed
            from incidents i
            where i.team_id = @teamId and i.resolved_at is null and {{IncidentVisibility.VisibleToUser}}
            order by i.number desc
            limit @limit
            """, new { teamId, userId, limit = MaxListed + 1 }, cancellationToken: ct));
        return rows.ToList();
    }

    internal static HomeView Render(IReadOnlyList<OpenIncident> open)
    {
        var blocks = new List<Block> { Block.Header("Incidents") };
        if (open.Count == 0)
            blocks.Add(Block.Section($"No open incidents. Type `{Usage.New}` in any channel to open one."));
        foreach (var incident in open.Take(MaxListed))
        {
            var channel = incident.ChannelId is not null ? Mrkdwn.Channel(incident.ChannelId)
                : incident.ChannelFailed ? "_channel could not be opened: the reporter can retry or cancel_"
                : "_channel being created_";
            var severity = incident.Severity is null ? "" : $" · {incident.Severity.ToUpperInvariant()}";
            var privacy = incident.IsPrivate ? " · :lock: private" : "";
            blocks.Add(Block.Section(
                $"*#{incident.Number} {Mrkdwn.Escape(incident.Title)}*\n{channel} · {incident.Status}{severity}{privacy} · commander {Mrkdwn.User(incident.CommanderId)}"));
        }
        if (open.Count > MaxListed)
            blocks.Add(Block.Context($"Showing the {MaxListed} most recent open incidents."));
        blocks.Add(Block.Divider());
        blocks.Add(Block.Context("In an incident channel: `/incident help` lists the commands. React to messages to mark them for the post-mortem."));
        return new HomeView { Blocks = blocks };
    }
}
