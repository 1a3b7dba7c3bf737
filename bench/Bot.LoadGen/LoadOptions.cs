namespace Bot.LoadGen;

/// <summary>Command line: --name value pairs. See Usage.</summary>
internal sealed class LoadOptions
{
    public const string Usage = """
        Bot.LoadGen: signed Slack message events for incident channels at a fixed rate.

          --spawn-bot              start a fake Slack here and the bot (Bot.dll) as a child process;
                                   creates the incident channel and its incident row itself
          --url URL                the running bot (default http://127.0.0.1:5000) when not --spawn-bot
          --secret SECRET          signing secret (default $SLACK_SIGNING_SECRET)
          --channel ID[,ID...]     incident channel ids, events spread round-robin (required without --spawn-bot)
          --channels N             with --spawn-bot: how many incident channels to create (default 10)
          --database CS            Npgsql connection string of the bot's database, to count stored rows
                                   (default $BENCH_DATABASE; with --spawn-bot: the embedded cluster in .data,
                                   started or reused, database bot_bench)
          --rate N                 events per second (default 500)
          --duration S             seconds (default 20)
          --duplicates F           fraction of events delivered a second time with X-Slack-Retry-Num (default 0.05)
          --warmup N               events sent before measuring (default 200)
          --closed S               also a closed-loop run of S seconds before the open loop (default 0; 10 with --compare)
          --in-flight N            requests in flight in the closed loop (default 32)
          --compare                with --spawn-bot: the same runs, same payloads, against Slack's Bolt for JavaScript
                                   as a no-op app (node, --bolt folder, npm-installed) and a bare Kestrel answering 200
          --bolt DIR               the Bolt no-op app's folder (default bench/bolt-noop of this repository)
          --timeline-channel ID    after the load, time /incident timeline and /postmortem preview in that incident
                                   channel (--spawn-bot)
          --database-name NAME     with --spawn-bot and no --database: this database on the embedded cluster
                                   (default bot_bench)
          --seed FILE              before the load, unless already done: run the scale seed (bench/seed-scale.sql)
                                   with --seed-incidents N (10000), --seed-rows N (10000000), --seed-big N (10000)
        """;

    public bool SpawnBot { get; private set; }
    public Uri Url { get; set; } = new("http://127.0.0.1:5000");
    public string Secret { get; set; } = Environment.GetEnvironmentVariable("SLACK_SIGNING_SECRET") ?? "";
    public List<string> Channels { get; set; } = [];
    public int ChannelCount { get; private set; } = 10;
    public string? Database { get; set; } = Environment.GetEnvironmentVariable("BENCH_DATABASE");
    public int Rate { get; private set; } = 500;
    public int DurationSeconds { get; private set; } = 20;
    public double Duplicates { get; private set; } = 0.05;
    public int Warmup { get; private set; } = 200;
    public string TeamId { get; set; } = "T0BENCH";
    public int ClosedSeconds { get; private set; } = -1;
    public int InFlight { get; private set; } = 32;
    public bool Compare { get; private set; }
    public string? BoltFolder { get; private set; }
    public string? TimelineChannel { get; private set; }
    public string DatabaseName { get; private set; } = "bot_bench";
    public string? SeedFile { get; private set; }
    public int SeedIncidents { get; private set; } = 10_000;
    public int SeedRows { get; private set; } = 10_000_000;
    public int SeedBig { get; private set; } = 10_000;

    public static LoadOptions Parse(string[] args)
    {
        var o = new LoadOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--spawn-bot": o.SpawnBot = true; break;
                case "--url": o.Url = new Uri(Next()); break;
                case "--secret": o.Secret = Next(); break;
                case "--channel": o.Channels.AddRange(Next().Split(',', StringSplitOptions.RemoveEmptyEntries)); break;
                case "--channels": o.ChannelCount = int.Parse(Next()); break;
                case "--database": o.Database = ValidConnectionString(Next()); break;
                case "--rate": o.Rate = int.Parse(Next()); break;
                case "--duration": o.DurationSeconds = int.Parse(Next()); break;
                case "--duplicates": o.Duplicates = double.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture); break;
                case "--warmup": o.Warmup = int.Parse(Next()); break;
                case "--closed": o.ClosedSeconds = int.Parse(Next()); break;
                case "--in-flight": o.InFlight = int.Parse(Next()); break;
                case "--compare": o.Compare = true; break;
                case "--bolt": o.BoltFolder = Path.GetFullPath(Next()); break;
                case "--timeline-channel": o.TimelineChannel = Next(); break;
                case "--database-name": o.DatabaseName = Next(); break;
                case "--seed": o.SeedFile = Path.GetFullPath(Next()); break;
                case "--seed-incidents": o.SeedIncidents = int.Parse(Next()); break;
                case "--seed-rows": o.SeedRows = int.Parse(Next()); break;
                case "--seed-big": o.SeedBig = int.Parse(Next()); break;
                case "--help" or "-h": throw new ArgumentException("");
                default: throw new ArgumentException($"unknown argument {args[i]}");
            }
        }
        if (o.Rate <= 0 || o.DurationSeconds <= 0 || o.ChannelCount <= 0 || o.Duplicates is < 0 or > 1)
            throw new ArgumentException("--rate, --duration and --channels must be positive, --duplicates between 0 and 1");
        if (o.ClosedSeconds < 0) o.ClosedSeconds = o.Compare ? 10 : 0;
        if (o.InFlight <= 0) throw new ArgumentException("--in-flight must be positive");
        if ((o.Compare || o.TimelineChannel is not null) && !o.SpawnBot)
            throw new ArgumentException("--compare and --timeline-channel need --spawn-bot");
        if (o.SeedFile is not null && !File.Exists(o.SeedFile)) throw new ArgumentException($"--seed: no file {o.SeedFile}");
        if (o.SeedIncidents < 2 || o.SeedBig <= 0 || o.SeedRows < o.SeedBig)
            throw new ArgumentException("--seed-incidents must be at least 2 and --seed-rows at least --seed-big");
        if (o.Compare)
        {
            o.BoltFolder ??= FindBoltFolder();
            if (!File.Exists(Path.Combine(o.BoltFolder, "node_modules", "@slack", "bolt", "package.json")))
                throw new ArgumentException($"@slack/bolt is not installed in {o.BoltFolder}: run npm ci there (bench/capture-vs-bolt.sh does)");
        }
        if (!o.SpawnBot && (o.Channels.Count == 0 || o.Secret.Length == 0))
            throw new ArgumentException("without --spawn-bot, --channel and --secret (or SLACK_SIGNING_SECRET) are required");
        return o;
    }

    private static string FindBoltFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "bench", "bolt-noop", "package.json")))
                return Path.Combine(dir.FullName, "bench", "bolt-noop");
        throw new ArgumentException("bench/bolt-noop not found above this program: pass --bolt DIR");
    }

    private static string ValidConnectionString(string value)
    {
        try
        {
            return new Npgsql.NpgsqlConnectionStringBuilder(value).ConnectionString;
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"--database is not an Npgsql connection string: {e.Message}");
        }
    }
}
