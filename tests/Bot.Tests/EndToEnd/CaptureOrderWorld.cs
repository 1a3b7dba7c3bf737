using System.Globalization;
using Bot.Timeline;
using Npgsql;

namespace Bot.Tests.EndToEnd;

/// <summary>An <see cref="IncidentWorld"/> with one incident already open, whose channel the order tests talk in;
/// each test takes its own stretch of Slack time so their messages never meet.</summary>
public sealed class CaptureOrderWorld : IncidentWorld, IAsyncLifetime
{
    private long _nextBase;
    private NpgsqlDataSource? _source;

    public string Team { get; } = "TORD" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
    public IncidentState Incident { get; private set; } = null!;
    public TimelineReader Reader { get; private set; } = null!;

    async Task IAsyncLifetime.InitializeAsync()
    {
        await InitializeAsync();
        await Command("new Checkout latency", Ada, General.Id, Team);
        Incident = await WaitUntilOpened(1, Team);
        _source = NpgsqlDataSource.Create(ConnectionString);
        Reader = new TimelineReader(new Bot.Database.Db(_source, null!));
        _nextBase = DateTimeOffset.UtcNow.ToUnixTimeSeconds() * 1_000_000;
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        if (_source is not null) await _source.DisposeAsync();
        await DisposeAsync();
    }

    /// <summary>The start of a test's own 1000 seconds of Slack time, in microseconds.</summary>
    public long NextBase() => Interlocked.Add(ref _nextBase, 1000L * 1_000_000);

    public static string Format(long micros) =>
        (micros / 1_000_000).ToString(CultureInfo.InvariantCulture) + "." + (micros % 1_000_000).ToString("D6", CultureInfo.InvariantCulture);
}
