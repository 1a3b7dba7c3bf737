using System.Globalization;
using Bot.LoadGen;
using Bot.Slack.Testing;

LoadOptions options;
try
{
    options = LoadOptions.Parse(args);
}
catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
{
    if (e.Message.Length > 0) Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(LoadOptions.Usage);
    return 2;
}

FakeSlack? slack = null;
BotProcess? bot = null;
try
{
    if (options.SpawnBot)
    {
        // Same local cluster the bot's run command uses (started or reused), database bot_bench beside 'bot'.
        options.Database ??= new Npgsql.NpgsqlConnectionStringBuilder(
            Bot.Hosting.LocalPostgres.EmbeddedPostgres.Start(Bot.Hosting.LocalPostgres.EmbeddedPostgres.DefaultDataRoot()))
            { Database = "bot_bench" }.ConnectionString;
        await BenchDatabase.EnsureExists(options.Database);
        slack = await FakeSlack.StartAsync();
        foreach (var i in Enumerable.Range(1, 5))
            slack.AddUser($"U0BENCH{i:D2}", $"responder{i}");
        for (var c = 0; c < options.ChannelCount; c++)
            options.Channels.Add(slack.AddChannel($"inc-bench-{DateTime.UtcNow:HHmmss}-{c}", members: ["U0BENCH01"]).Id);
        options.TeamId = slack.TeamId;
        options.Secret = "bench-signing-secret";
        bot = await BotProcess.Start(options.Database, slack.ApiUrl, slack.BotToken, options.Secret);
        options.Url = bot.Url;
        Console.WriteLine($"bot at {bot.Url}, fake Slack at {slack.ApiUrl}, channels {string.Join(",", options.Channels)}");
    }
    if (options.Database is not null)
        foreach (var channel in options.Channels)
            await BenchDatabase.CreateIncident(options.Database, options.TeamId, channel, "U0BENCH01");
    string ChannelOf(int n) => options.Channels[n % options.Channels.Count];

    using var http = new HttpClient(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = 1024,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
    })
    { BaseAddress = options.Url, Timeout = TimeSpan.FromSeconds(30) };
    var runner = new LoadRunner(http, options);
    var baseSeconds = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 3600;
    var users = Enumerable.Range(1, 5).Select(i => $"U0BENCH{i:D2}").ToArray();

    // Warm-up (JIT, connection pools) in a second series of ts values, not counted.
    var warm = Enumerable.Range(0, options.Warmup)
        .Select(n => SlackEvents.Message(options.TeamId, ChannelOf(n), users[n % users.Length], n, baseSeconds - 7200)).ToList();
    await runner.Run(warm, measure: false);

    var total = options.Rate * options.DurationSeconds;
    var events = Enumerable.Range(0, total)
        .Select(n => SlackEvents.Message(options.TeamId, ChannelOf(n), users[n % users.Length], n, baseSeconds)).ToList();
    Console.WriteLine($"sending {total} events at {options.Rate}/s for {options.DurationSeconds} s over {options.Channels.Count} channel(s) (+{options.Duplicates:P0} redelivered) to {options.Url}");
    var result = await runner.Run(events, measure: true);

    var sorted = result.LatenciesMs.Order().ToArray();
    double P(double q) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
    string Ms(double v) => v.ToString("0.00", CultureInfo.InvariantCulture);
    Console.WriteLine($"deliveries:  {result.Deliveries} ({result.UniqueEvents} events + {result.Deliveries - result.UniqueEvents} retries), acked 2xx: {result.Acked}, failed: {result.Failed}");
    foreach (var error in result.Errors) Console.WriteLine($"  error: {error}");
    Console.WriteLine($"elapsed:     {result.Elapsed.TotalSeconds:0.00} s, throughput {result.Deliveries / result.Elapsed.TotalSeconds:0.0} deliveries/s, sender at most {Ms(result.MaxBehindMs)} ms behind schedule");
    Console.WriteLine($"ack latency: p50 {Ms(P(0.50))} ms, p90 {Ms(P(0.90))} ms, p99 {Ms(P(0.99))} ms, max {Ms(sorted.LastOrDefault())} ms");

    if (options.Database is not null)
    {
        var stored = await BenchDatabase.Count(options.Database, options.Channels.ToArray(),
            events.Select(e => e.Ts).ToArray(), events.Select(e => e.EventId).ToArray());
        Console.WriteLine($"stored:      {stored.Rows} timeline rows for {total} events ({stored.DistinctTs} distinct ts, {stored.Rows - stored.DistinctTs} duplicates), {stored.EventsRecorded} event ids recorded; settled {stored.Settled.TotalSeconds:0.0} s after the last ack");
        return stored.Rows == total && stored.DistinctTs == total && result.Failed == 0 ? 0 : 1;
    }
    return result.Failed == 0 ? 0 : 1;
}
// A missing or unreachable database, or a bot that does not come up: one line, not a stack trace.
catch (Exception e) when (e is Npgsql.NpgsqlException or Bot.Hosting.StartupException or InvalidOperationException or TimeoutException)
{
    Console.Error.WriteLine($"Bot.LoadGen: {e.Message}");
    return 1;
}
finally
{
    if (bot is not null) await bot.DisposeAsync();
    if (slack is not null) await slack.DisposeAsync();
}
