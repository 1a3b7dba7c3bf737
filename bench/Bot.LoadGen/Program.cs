using System.Globalization;
using Bot.LoadGen;
using Bot.Slack.Testing;

if (args.Length == 2 && args[0] == "--bare-kestrel")
    return await Target.RunBareKestrel(int.Parse(args[1], CultureInfo.InvariantCulture));

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
var baselines = new List<Target>();
try
{
    if (options.SpawnBot)
    {
        // Same local cluster the bot's run command uses (started or reused), database bot_bench beside 'bot'.
        options.Database ??= new Npgsql.NpgsqlConnectionStringBuilder(
            Bot.Hosting.LocalPostgres.EmbeddedPostgres.Start(Bot.Hosting.LocalPostgres.EmbeddedPostgres.DefaultDataRoot()))
            { Database = options.DatabaseName }.ConnectionString;
        await BenchDatabase.EnsureExists(options.Database);
        slack = await FakeSlack.StartAsync();
        foreach (var i in Enumerable.Range(1, 5))
            slack.AddUser($"U0BENCH{i:D2}", $"responder{i}");
        for (var c = 0; c < options.ChannelCount; c++)
            options.Channels.Add(slack.AddChannel($"inc-bench-{DateTime.UtcNow:HHmmss}-{c}", members: ["U0BENCH01"]).Id);
        options.TeamId = slack.TeamId;
        options.Secret = "bench-signing-secret";
        // Before the bot starts: its Hangfire workers would otherwise pick up an earlier run's jobs at once.
        await BenchDatabase.ForgetEarlierRuns(options.Database);
        bot = await BotProcess.Start(options.Database, slack.ApiUrl, slack.BotToken, options.Secret);
        options.Url = bot.Url;
        Console.WriteLine($"bot at {bot.Url}, fake Slack at {slack.ApiUrl}, channels {string.Join(",", options.Channels)}");
        if (options.Compare)
        {
            baselines.Add(await Target.Bolt(options.BoltFolder!, options.Secret));
            baselines.Add(await Target.BareKestrel());
            Console.WriteLine(string.Join(", ", baselines.Select(b => $"{b.Name} at {b.Url}")));
        }
    }
    if (options.SeedFile is not null && options.Database is not null)
        await BenchDatabase.Seed(options.Database, options.SeedFile, options.SeedIncidents, options.SeedRows, options.SeedBig);
    if (options.Database is not null)
        foreach (var channel in options.Channels)
            await BenchDatabase.CreateIncident(options.Database, options.TeamId, channel, "U0BENCH01");
    string ChannelOf(int n) => options.Channels[n % options.Channels.Count];

    var baseSeconds = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 3600;
    var users = Enumerable.Range(1, 5).Select(i => $"U0BENCH{i:D2}").ToArray();
    List<SlackEvents.Prepared> Series(int count, long seconds) => Enumerable.Range(0, count)
        .Select(n => SlackEvents.Message(options.TeamId, ChannelOf(n), users[n % users.Length], n, seconds)).ToList();

    // Three series of ts values: warm-up (JIT, connection pools; not counted), closed loop (enough for 25,000 acks/s:
    // a bare Kestrel here does about 22,000), open loop. Every target
    // gets the same payloads; the bot is first, so it sees each event new.
    var warm = Series(options.Warmup, baseSeconds - 7200);
    var closed = options.ClosedSeconds > 0 ? Series(Math.Min(2_000_000, options.ClosedSeconds * 25_000), baseSeconds - 3 * 7200) : [];
    var total = options.Rate * options.DurationSeconds;
    var events = Series(total, baseSeconds);

    if (bot is not null) Console.WriteLine($"bot RSS before the load: {Target.RssMiB(bot.Pid):0.0} MiB");
    var targets = new List<(string Name, Uri Url)> { ("bot", options.Url) };
    targets.AddRange(baselines.Select(b => (b.Name, b.Url)));
    var summary = new List<string>();
    var exit = 0;
    LoadRunner.Result? botClosed = null;
    foreach (var (name, url) in targets)
    {
        using var http = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = 1024,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        })
        { BaseAddress = url, Timeout = TimeSpan.FromSeconds(30) };
        var runner = new LoadRunner(http, options);
        await runner.Run(warm, measure: false);

        string? closedLine = null;
        if (closed.Count > 0)
        {
            var load = LoadAverage();
            Console.WriteLine($"[{name}] closed loop: {options.InFlight} in flight for {options.ClosedSeconds} s (load average {load})");
            var c = await runner.RunClosed(closed, options.InFlight, TimeSpan.FromSeconds(options.ClosedSeconds));
            Report(name, c);
            if (name == "bot") botClosed = c;
            if (c.Failed > 0) exit = 1;
            closedLine = $"{c.Acked / c.Elapsed.TotalSeconds:0} acks/s (load {load})";
        }

        var openLoad = LoadAverage();
        Console.WriteLine($"[{name}] open loop: {total} events at {options.Rate}/s for {options.DurationSeconds} s over {options.Channels.Count} channel(s) (+{options.Duplicates:P0} redelivered) to {url} (load average {openLoad})");
        var result = await runner.Run(events, measure: true);
        var (p50, p99) = Report(name, result);
        if (result.Failed > 0) exit = 1;
        summary.Add($"| {name} | {closedLine ?? "-"} | {Ms(p50)} ms | {Ms(p99)} ms | load {openLoad} |");
    }

    if (options.Database is not null)
    {
        var sentClosed = closed.Take(botClosed?.UniqueEvents ?? 0).ToList();
        var all = sentClosed.Concat(events).ToList();
        var stored = await BenchDatabase.Count(options.Database, options.Channels.ToArray(),
            all.Select(e => e.Ts).ToArray(), all.Select(e => e.EventId).ToArray());
        Console.WriteLine($"stored:      {stored.Rows} timeline rows for {all.Count} events sent to the bot ({sentClosed.Count} closed loop + {events.Count} open loop; {stored.DistinctTs} distinct ts, {stored.Rows - stored.DistinctTs} duplicates), {stored.EventsRecorded} event ids recorded; settled {stored.Settled.TotalSeconds:0.0} s after the last ack");
        if (stored.Rows != all.Count || stored.DistinctTs != all.Count) exit = 1;
    }
    if (bot is not null)
    {
        // Steady state after the load: what the bot keeps once the burst is over (the GC has had a few seconds).
        await Task.Delay(TimeSpan.FromSeconds(5));
        Console.WriteLine($"bot RSS 5 s after the load: {Target.RssMiB(bot.Pid):0.0} MiB" +
            string.Concat(baselines.Select(b => $"; {b.Name} {Target.RssMiB(b.Pid):0.0} MiB")));
    }
    if (options.TimelineChannel is not null)
        if (!await TimelineProbe.Run(options, options.TimelineChannel, runs: 5)) exit = 1;

    if (summary.Count > 1)
    {
        Console.WriteLine();
        Console.WriteLine("| target | closed loop | open-loop p50 | open-loop p99 | |");
        Console.WriteLine("|---|---|---|---|---|");
        summary.ForEach(Console.WriteLine);
    }
    return exit;
}
// A missing or unreachable database, or a bot that does not come up: one line, not a stack trace.
catch (Exception e) when (e is Npgsql.NpgsqlException or Bot.Hosting.StartupException or InvalidOperationException or TimeoutException)
{
    Console.Error.WriteLine($"Bot.LoadGen: {e.Message}");
    return 1;
}
finally
{
    foreach (var b in baselines) await b.DisposeAsync();
    if (bot is not null) await bot.DisposeAsync();
    if (slack is not null) await slack.DisposeAsync();
}

static string Ms(double v) => v.ToString("0.00", CultureInfo.InvariantCulture);

static string LoadAverage() =>
    File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

static (double P50, double P99) Report(string name, LoadRunner.Result result)
{
    var sorted = result.LatenciesMs.Order().ToArray();
    double P(double q) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
    Console.WriteLine($"[{name}] deliveries:  {result.Deliveries} ({result.UniqueEvents} events + {result.Deliveries - result.UniqueEvents} retries), acked 2xx: {result.Acked}, failed: {result.Failed}");
    foreach (var error in result.Errors) Console.WriteLine($"  error: {error}");
    Console.WriteLine($"[{name}] elapsed:     {result.Elapsed.TotalSeconds:0.00} s, throughput {result.Acked / result.Elapsed.TotalSeconds:0.0} acks/s" +
        (result.MaxBehindMs > 0 ? $", sender at most {Ms(result.MaxBehindMs)} ms behind schedule" : ""));
    Console.WriteLine($"[{name}] ack latency: p50 {Ms(P(0.50))} ms, p90 {Ms(P(0.90))} ms, p99 {Ms(P(0.99))} ms, max {Ms(sorted.LastOrDefault())} ms");
    return (P(0.50), P(0.99));
}
