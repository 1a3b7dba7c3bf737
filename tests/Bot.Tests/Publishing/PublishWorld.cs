using System.Collections.Concurrent;
using Bot.Slack.Testing;
using Bot.Slack.WebApi;
using Bot.Tests.Infrastructure;
using Bot.Tests.Postmortems;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bot.Tests.Publishing;

/// <summary>The post-mortem world (Ada the point person, Bob, Cat) plus what publishing reaches: an announcement
/// channel the bot was invited to, stakeholders for sev2 (Pam by id, Dan through the @product user group), and a real
/// SMTP server on loopback that requires a password. The bot's every log line is kept, to look for the password.</summary>
public sealed class PublishWorld : IAsyncLifetime
{
    public const string Pam = "U0PAM";
    public const string Dan = "U0DAN";
    public const string SmtpPassword = "pw-Zq8#smtp-never-logged";

    public PostmortemWorld World { get; } = new();

    /// <summary>More settings for the bot (they win), e.g. the dashboard's; set before InitializeAsync.</summary>
    public Dictionary<string, string?> ExtraSettings { get; } = new();

    /// <summary>A password for the database's connection string (the test cluster trusts loopback and ignores it);
    /// when the server configured by BOT_TEST_POSTGRES has one, it is that. Set before InitializeAsync.</summary>
    public string? DatabasePassword { get; set; }
    public SmtpSink Smtp { get; private set; } = null!;
    public FakeChannel Announce { get; private set; } = null!;
    public BotApp App { get; private set; } = null!;
    public string ConnectionString { get; private set; } = "";
    public ConcurrentQueue<string> Logs { get; } = new();
    public FakeSlack Slack => World.Slack;
    /// <summary>The bot's clock: real time, moved ahead by a test that needs a meeting to be over.</summary>
    public ShiftedTime Time { get; } = new();

    public async Task InitializeAsync()
    {
        await World.InitializeAsync();
        Slack.AddUser(Pam, "pam", "Pam Product", "pam", title: "Product manager");
        Slack.AddUser(Dan, "dan", "Dan Director", "dan");
        Slack.AddUserGroup("S0PRODUCT", "product", "Product", Dan);
        // Slack lets a bot post only where it was invited (or with chat:write.public): the operator invites it.
        Announce = Slack.AddChannel("postmortems", botIsMember: true, members: [PostmortemWorld.Ada]);
        Smtp = await SmtpSink.Start("incident-bot", SmtpPassword);
        var connection = new Npgsql.NpgsqlConnectionStringBuilder(await PostgresServer.Instance.CreateDatabase("publishing"));
        if (DatabasePassword is not null)
        {
            if (string.IsNullOrEmpty(connection.Password)) connection.Password = DatabasePassword;
            else DatabasePassword = connection.Password;
        }
        ConnectionString = connection.ConnectionString;
        App = await StartApp(ConnectionString, Announce.Id);
    }

    /// <summary>A bot with publishing set up, on the given database, announcing in <paramref name="announceChannel"/>.</summary>
    public async Task<BotApp> StartApp(string connectionString, string announceChannel, string? hangfireSchema = null)
    {
        var app = await World.StartApp(connectionString, hangfireSchema, configure: b =>
        {
            b.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Bot:Publishing:AnnounceChannel"] = announceChannel,
                ["Bot:Publishing:MailingList"] = "postmortems@example.com; Eng Team <eng@example.com>",
                ["Bot:Publishing:Smtp:Host"] = "127.0.0.1",
                ["Bot:Publishing:Smtp:Port"] = Smtp.Port.ToString(),
                ["Bot:Publishing:Smtp:From"] = "Incident Bot <bot@example.com>",
                ["Bot:Publishing:Smtp:User"] = Smtp.User,
                ["Bot:Publishing:Smtp:Password"] = SmtpPassword,
                ["Bot:Publishing:Smtp:UseTls"] = "false",
                ["Bot:Postmortems:Stakeholders:sev2:0"] = Pam,
                ["Bot:Postmortems:Stakeholders:sev2:1"] = "S0PRODUCT",
                ["Logging:LogLevel:Default"] = "Trace",
            });
            b.Configuration.AddInMemoryCollection(ExtraSettings);
            b.Logging.AddProvider(new LineLoggerProvider(Logs));
            b.Services.AddSingleton<TimeProvider>(Time);
            // One try per Slack call, so a 500 fails the job at once and Hangfire's retry is what is tested.
            b.Services.Configure<SlackWebApiOptions>(o =>
            {
                o.MaxRetries = 0;
                o.RateLimit = false;
            });
        });
        // Slack signs requests with its own clock: the bot's check of the timestamp must see the same time.
        app.Clock = () => Time.GetUtcNow();
        return app;
    }

    /// <summary>Stops the bot, runs <paramref name="meanwhile"/>, and starts it again on the same database and Hangfire
    /// schema (its queued, scheduled and parked jobs are still there).</summary>
    public async Task Restart(Action? meanwhile = null)
    {
        var schema = App.HangfireSchema;
        await App.DisposeAsync();
        meanwhile?.Invoke();
        App = await StartApp(ConnectionString, Announce.Id, schema);
    }

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await Smtp.DisposeAsync();
        await World.DisposeAsync();
    }

    public Task<PostmortemWorld.Reply> Publish(PostmortemWorld.Incident incident, string user, string args = "") =>
        World.Command(App, "/postmortem", ("publish " + args).Trim(), user, incident.ChannelId, incident.Team);

    public sealed class ShiftedTime : TimeProvider
    {
        private long _ticks;
        public TimeSpan Offset
        {
            get => TimeSpan.FromTicks(Interlocked.Read(ref _ticks));
            set => Interlocked.Exchange(ref _ticks, value.Ticks);
        }
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;
    }

    /// <summary>Every log line with its exception, as the operator's log would show it.</summary>
    private sealed class LineLoggerProvider(ConcurrentQueue<string> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger(lines, categoryName);
        public void Dispose() { }

        private sealed class Logger(ConcurrentQueue<string> lines, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
            public bool IsEnabled(LogLevel logLevel) => true;
            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception}");
        }
    }
}
