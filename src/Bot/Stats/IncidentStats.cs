using Bot.Database;
using Dapper;

namespace Bot.Stats;

/// <summary>One row of the figures: all incidents of the window, one severity, or one month (UTC).</summary>
public sealed record StatsRow
{
    /// <summary>"all", "severity" or "month".</summary>
    public string Dimension { get; init; } = "";
    /// <summary>sev1..sev4 or "none" (dimension severity), "2026-11" (dimension month), null for all.</summary>
    public string? Key { get; init; }
    public long Incidents { get; init; }
    public double? ResolveMedianSeconds { get; init; }
    public double? ResolveP90Seconds { get; init; }
    public long WithMeeting { get; init; }
    public double? MeetingMedianSeconds { get; init; }
    public long Published { get; init; }
    /// <summary>Items whose outcome is known: done (on time or late), or open past their due date.</summary>
    public long ItemsDue { get; init; }
    public long ItemsOnTime { get; init; }

    public double PublishedShare => Incidents == 0 ? 0 : (double)Published / Incidents;
    public double? OnTimeShare => ItemsDue == 0 ? null : (double)ItemsOnTime / ItemsDue;
}

/// <summary>The figures of the window, and per month and severity the counts the chart stacks.</summary>
public sealed record StatsReport(int Days, DateTimeOffset Since, DateTimeOffset Until, IReadOnlyList<StatsRow> Rows,
    IReadOnlyList<(string Month, string Severity, long Incidents)> MonthSeverity)
{
    public StatsRow All => Rows.Single(r => r.Dimension == "all");
    public IEnumerable<StatsRow> BySeverity => Rows.Where(r => r.Dimension == "severity").OrderBy(r => r.Key == "none").ThenBy(r => r.Key, StringComparer.Ordinal);
    public IEnumerable<StatsRow> ByMonth => Rows.Where(r => r.Dimension == "month").OrderBy(r => r.Key, StringComparer.Ordinal);
}

/// <summary><c>/incident stats</c>'s figures, computed by PostgreSQL over the incidents resolved in the window (cancelled
/// ones are not incidents that were resolved, so they are left out): time to resolve (open → resolved, median and
/// 90th percentile), resolve → the post-mortem meeting's start (a set, not cancelled meeting), post-mortems
/// published, and action items done by their due date. Medians are percentile_cont (the mean of the two middle
/// values for an even count).</summary>
public sealed class IncidentStats(Db db)
{
    public const int DefaultDays = 90;
    public const int MaxDays = 730;

    public async Task<StatsReport> For(string teamId, int days, DateTimeOffset until, CancellationToken ct)
    {
        var since = until.AddDays(-days);
        await using var conn = await db.OpenConnectionAsync(ct);
        var args = new { teamId, since, until };
        var rows = (await conn.QueryAsync<StatsRow>(new CommandDefinition(Resolved + """
            select case when grouping(r.severity) = 0 then 'severity' when grouping(r.month) = 0 then 'month' else 'all' end as dimension,
                   coalesce(r.severity, r.month) as key,
                   count(*) as incidents,
                   percentile_cont(0.5) within group (order by r.resolve_seconds) as resolve_median_seconds,
                   percentile_cont(0.9) within group (order by r.resolve_seconds) as resolve_p90_seconds,
                   count(r.meeting_seconds) as with_meeting,
                   percentile_cont(0.5) within group (order by r.meeting_seconds) as meeting_median_seconds,
                   count(*) filter (where r.published) as published,
                   coalesce(sum(r.items_due), 0) as items_due,
                   coalesce(sum(r.items_on_time), 0) as items_on_time
            from resolved r
            group by grouping sets ((), (r.severity), (r.month))
            """, args, cancellationToken: ct))).AsList();
        if (!rows.Any(r => r.Dimension == "all")) rows.Add(new StatsRow { Dimension = "all" });
        var stack = (await conn.QueryAsync<(string Month, string Severity, long Incidents)>(new CommandDefinition(Resolved + """
            select r.month, r.severity, count(*) from resolved r group by r.month, r.severity order by r.month, r.severity
            """, args, cancellationToken: ct))).AsList();
        return new StatsReport(days, since, until, rows, stack);
    }

    // Per incident: its severity and month, its times in seconds, whether it was published, and its action items
    // with a due date (dropped ones are neither on time nor late).
    private const string Resolved = """
        with resolved as (
            select coalesce(i.severity, 'none') as severity,
                   to_char(i.resolved_at at time zone 'UTC', 'YYYY-MM') as month,
                   extract(epoch from i.resolved_at - i.created_at)::float8 as resolve_seconds,
                   (select extract(epoch from m.starts_at - i.resolved_at)::float8 from postmortem_meetings m
                    where m.incident_id = i.id and m.starts_at is not null and m.cancelled_at is null) as meeting_seconds,
                   exists (select 1 from postmortem_publications p where p.incident_id = i.id) as published,
                   (select count(*) from action_items a where a.incident_id = i.id and a.due_at is not null
                      and (a.status = 'done' or (a.status = 'open' and a.due_at <= @until))) as items_due,
                   (select count(*) from action_items a where a.incident_id = i.id and a.due_at is not null
                      and a.status = 'done' and a.settled_at <= a.due_at) as items_on_time
            from incidents i
            where i.team_id = @teamId and i.status <> 'cancelled' and i.resolved_at > @since and i.resolved_at <= @until
        )
        """;
}
