using Bot.Tests.Infrastructure;
using Dapper;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Bot.Tests.Outages;

/// <summary>Hangfire's retry delays (5 s, 30 s, 120 s... per job) made instant: a job that failed and waits for its retry
/// is requeued at once, as Hangfire's scheduler does when the delay is over. Counts the retries taken, and lets the test
/// act before each (end an outage "after two retries", that is after the minute those delays add up to).</summary>
public sealed class RetryClock : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _retries;

    private RetryClock(BotApp app, string connectionString, Action<int> beforeRetry)
    {
        _loop = Task.Run(async () =>
        {
            var jobs = app.Services.GetRequiredService<IBackgroundJobClient>();
            while (!_stop.IsCancellationRequested)
            {
                await using (var c = new NpgsqlConnection(connectionString))
                {
                    var waiting = await c.QueryAsync<long>($"""
                        select j.id from {app.HangfireSchema}.job j join {app.HangfireSchema}.state s on s.id = j.stateid
                        where j.statename = 'Scheduled' and s.reason like 'Retry attempt%'
                        """);
                    foreach (var id in waiting)
                    {
                        beforeRetry(Interlocked.Increment(ref _retries));
                        jobs.Requeue(id.ToString());
                    }
                }
                try { await Task.Delay(100, _stop.Token); } catch (OperationCanceledException) { }
            }
        });
    }

    public static RetryClock Start(BotApp app, string connectionString, Action<int>? beforeRetry = null) =>
        new(app, connectionString, beforeRetry ?? (_ => { }));

    /// <summary>Hangfire retries taken so far (over every job of the app).</summary>
    public int Retries => Volatile.Read(ref _retries);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }
}
