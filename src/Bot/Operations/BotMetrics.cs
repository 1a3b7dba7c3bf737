using System.Diagnostics.Metrics;
using Bot.Slack.Diagnostics;
using Dapper;
using Npgsql;

namespace Bot.Operations;

/// <summary>The app's instruments on the meter "Bot" (the Slack layer's are in SlackMetrics, on the same meter): jobs,
/// reminder and chase lateness, open incidents. Made from the container's IMeterFactory, so two apps in one process
/// have their own; nothing is measured unless OpenTelemetry listens (Bot:Metrics, docs/operations.md).</summary>
public sealed class BotMetrics
{
    // Lateness is seconds behind the planned time: a poll interval or two when well, minutes when the queue backs up.
    private static readonly double[] LatenessBucketsS = [0.5, 1, 2, 5, 10, 30, 60, 120, 300, 900, 3600];

    // A scrape reads the cached count; the query runs at most this often.
    private static readonly TimeSpan OpenIncidentsMaxAge = TimeSpan.FromSeconds(15);

    private readonly NpgsqlDataSource _db;
    private readonly Counter<long> _jobsRun;
    private readonly Counter<long> _jobsFailed;
    private readonly Histogram<double> _reminderLateness;
    private readonly Histogram<double> _chaseLateness;
    private readonly Lock _openLock = new();
    private long? _open;
    private long? _openReadAt;
    private bool _refreshing;

    public BotMetrics(IMeterFactory meters, NpgsqlDataSource db)
    {
        _db = db;
        var meter = meters.Create(SlackMetrics.MeterName);
        _jobsRun = meter.CreateCounter<long>("bot.jobs.run", "{job}", "Hangfire jobs performed by this instance, by job class (each attempt counts).");
        _jobsFailed = meter.CreateCounter<long>("bot.jobs.failed", "{job}", "Job attempts that threw, by job class (Hangfire retries most of them).");
        _reminderLateness = meter.CreateHistogram("bot.reminders.lateness", "s",
            "How long after its planned time a post-mortem reminder, prep nudge or meeting start ran, by kind.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatenessBucketsS });
        _chaseLateness = meter.CreateHistogram("bot.chase.lateness", "s",
            "How long after the owner's local chase time an action-item chase DM was sent.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatenessBucketsS });
        meter.CreateObservableGauge("bot.incidents.open", ObserveOpenIncidents, "{incident}", "Incidents not resolved or cancelled (read at most every 15 s).");
    }

    public void JobRun(string job) => _jobsRun.Add(1, new KeyValuePair<string, object?>("job", job));

    public void JobFailed(string job) => _jobsFailed.Add(1, new KeyValuePair<string, object?>("job", job));

    public void ReminderLate(string kind, TimeSpan lateness) =>
        _reminderLateness.Record(Math.Max(0, lateness.TotalSeconds), new KeyValuePair<string, object?>("kind", kind));

    public void ChaseLate(TimeSpan lateness) => _chaseLateness.Record(Math.Max(0, lateness.TotalSeconds));

    /// <summary>The cached count; a stale one starts a refresh in the background, so a scrape never waits on the
    /// database (nor hangs while it is down). The first scrape after start may have no value yet.</summary>
    private IEnumerable<Measurement<long>> ObserveOpenIncidents()
    {
        lock (_openLock)
        {
            if (!_refreshing && (_openReadAt is not { } at || TimeProvider.System.GetElapsedTime(at) >= OpenIncidentsMaxAge))
            {
                _refreshing = true;
                _openReadAt = TimeProvider.System.GetTimestamp();
                _ = Task.Run(RefreshOpenIncidents);
            }
            return _open is { } open ? [new Measurement<long>(open)] : [];
        }
    }

    private async Task RefreshOpenIncidents()
    {
        try
        {
            await using var connection = await _db.OpenConnectionAsync();
            var open = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "select count(*) from incidents where resolved_at is null", commandTimeout: 5));
            lock (_openLock) _open = open;
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException or ObjectDisposedException)
        {
            // The database is away (readiness says so) or the app is stopping: the gauge keeps the last count.
        }
        finally
        {
            lock (_openLock) _refreshing = false;
        }
    }
}
