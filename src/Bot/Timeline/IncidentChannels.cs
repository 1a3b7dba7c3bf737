using System.Collections.Concurrent;
using Npgsql;

namespace Bot.Timeline;

/// <summary>The channels that are incidents' channels, kept in memory so that an event from any other channel is
/// answered without a database write. The set is loaded once and then kept by PostgreSQL notifications
/// (migration 0057: a trigger on incidents sends '+C123' / '-C123' on channel 'incident_channels' when a channel
/// becomes or stops being an incident's, whoever changed it and on whichever instance).</summary>
/// <remarks>Only a "no" can lose an event, so a "no" is never taken on trust: before it is given, this instance
/// sends itself a marker notification and waits for it to come back. PostgreSQL delivers notifications in commit
/// order, so by then every incident committed before the event arrived has been heard of. A "yes" costs nothing and
/// decides nothing: the capture statement still finds the incident itself. While the set is not loaded (start, a
/// lost listening connection, a marker that does not come back in time) the answer is "maybe": the write goes ahead
/// and the statement decides, as it did before this cache.</remarks>
public sealed class IncidentChannels(NpgsqlDataSource dataSource, ILogger<IncidentChannels> log) : BackgroundService
{
    public const string NotifyChannel = "incident_channels";

    // Real time, not the app's clock (a test's fake clock must not hold events): how long an event waits for the
    // marker before its write goes ahead anyway, and the pause before listening again.
    private static readonly TimeProvider Clock = TimeProvider.System;
    private static readonly TimeSpan MarkerWait = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Reconnect = TimeSpan.FromSeconds(1);

    // Markers of other instances arrive here too; this prefix tells this instance's own apart.
    private readonly string _markerPrefix = "=" + Guid.NewGuid().ToString("N") + ":";
    private volatile ConcurrentDictionary<string, byte>? _channels; // null: not loaded (not listening)
    private List<string>? _heardWhileLoading;

    private readonly Lock _gate = new();
    private TaskCompletionSource? _nextMarker; // waiters for a marker not sent yet
    private bool _sending;
    private long _markerSeq;
    private readonly ConcurrentDictionary<long, TaskCompletionSource> _markersOut = new();

    /// <summary>Whether this instance knows the set now (tests wait for it).</summary>
    internal bool Loaded => _channels is not null;

    /// <summary>False only when the channel is certainly no incident's channel (an incident committed before this
    /// call included); true when it is one or when that cannot be known now.</summary>
    public async ValueTask<bool> MayBeIncidentChannel(string channel, CancellationToken ct)
    {
        if (_channels is not { } known || known.ContainsKey(channel)) return true;
        if (!await HeardEverythingCommitted(ct)) return true;
        return _channels is not { } now || now.ContainsKey(channel);
    }

    /// <summary>Sends a marker and waits for it to come back (one marker serves every caller that arrived before it was
    /// sent; one is out at a time). False when it could not be sent or did not come back within MarkerWait.</summary>
    private async Task<bool> HeardEverythingCommitted(CancellationToken ct)
    {
        Task marker;
        lock (_gate)
        {
            _nextMarker ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            marker = _nextMarker.Task;
            if (!_sending)
            {
                _sending = true;
                _ = Task.Run(SendMarkers, CancellationToken.None);
            }
        }
        await marker.WaitAsync(MarkerWait, Clock, ct).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        ct.ThrowIfCancellationRequested();
        return marker.IsCompletedSuccessfully;
    }

    private async Task SendMarkers()
    {
        while (true)
        {
            TaskCompletionSource waiters;
            lock (_gate)
            {
                if (_nextMarker is null)
                {
                    _sending = false;
                    return;
                }
                waiters = _nextMarker;
                _nextMarker = null;
            }
            var seq = Interlocked.Increment(ref _markerSeq);
            _markersOut[seq] = waiters;
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync();
                await using var notify = new NpgsqlCommand("select pg_notify($1, $2)", connection);
                notify.Parameters.Add(new NpgsqlParameter { Value = NotifyChannel });
                notify.Parameters.Add(new NpgsqlParameter { Value = Marker(seq) });
                await notify.ExecuteNonQueryAsync();
                await waiters.Task.WaitAsync(MarkerWait, Clock).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
            catch (Exception ex)
            {
                log.LogDebug("Could not send the incident channels marker ({Reason})", ex.Message);
                waiters.TrySetException(ex);
            }
            finally
            {
                _markersOut.TryRemove(seq, out _);
            }
        }
    }

    private string Marker(long seq) => _markerPrefix + seq.ToString(System.Globalization.CultureInfo.InvariantCulture);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, e) => Heard(e.Payload);
                await using (var listen = new NpgsqlCommand($"listen {NotifyChannel}", connection))
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                await Load(connection, stoppingToken);
                while (true) await connection.WaitAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                _channels = null;
                log.LogWarning("Lost the incident channels notifications ({Reason}); every event is written until they are back",
                    ex.GetType().Name + ": " + ex.Message);
            }
            _channels = null;
            try
            {
                await Task.Delay(Reconnect, Clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Listening already, so nothing committed after this read's snapshot is missed; what is heard during
    /// the read is applied after it, in order (a channel in the snapshot and removed since ends removed).</summary>
    private async Task Load(NpgsqlConnection connection, CancellationToken ct)
    {
        _heardWhileLoading = [];
        var channels = new ConcurrentDictionary<string, byte>(StringComparer.Ordinal);
        await using (var read = new NpgsqlCommand("select channel_id from incidents where channel_id is not null", connection))
        await using (var reader = await read.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct))
                channels.TryAdd(reader.GetString(0), 0);
        foreach (var change in _heardWhileLoading) Apply(channels, change);
        _heardWhileLoading = null;
        _channels = channels;
        log.LogDebug("Incident channels loaded: {Count}", channels.Count);
    }

    // Runs on the listening connection's reads (one at a time), so the set and the loading list need no lock.
    private void Heard(string payload)
    {
        if (payload.StartsWith('='))
        {
            if (payload.StartsWith(_markerPrefix, StringComparison.Ordinal)
                && long.TryParse(payload.AsSpan(_markerPrefix.Length), System.Globalization.CultureInfo.InvariantCulture, out var seq)
                && _markersOut.TryGetValue(seq, out var waiters))
                waiters.TrySetResult();
            return;
        }
        if (_heardWhileLoading is { } loading) loading.Add(payload);
        else if (_channels is { } channels) Apply(channels, payload);
    }

    private static void Apply(ConcurrentDictionary<string, byte> channels, string change)
    {
        if (change.Length < 2) return;
        if (change[0] == '+') channels.TryAdd(change[1..], 0);
        else if (change[0] == '-') channels.TryRemove(change[1..], out _);
    }
}
