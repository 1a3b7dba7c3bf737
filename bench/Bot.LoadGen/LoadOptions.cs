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
                case "--help" or "-h": throw new ArgumentException("");
                default: throw new ArgumentException($"unknown argument {args[i]}");
            }
        }
        if (o.Rate <= 0 || o.DurationSeconds <= 0 || o.ChannelCount <= 0 || o.Duplicates is < 0 or > 1)
            throw new ArgumentException("--rate, --duration and --channels must be positive, --duplicates between 0 and 1");
        if (!o.SpawnBot && (o.Channels.Count == 0 || o.Secret.Length == 0))
            throw new ArgumentException("without --spawn-bot, --channel and --secret (or SLACK_SIGNING_SECRET) are required");
        return o;
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
