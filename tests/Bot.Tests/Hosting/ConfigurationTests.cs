using Bot.Hosting;
using Bot.Slack;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace Bot.Tests.Hosting;

public class ConfigurationTests
{
    private static IConfiguration Config(params (string Key, string? Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    private static StartupException Invalid(params (string, string?)[] values) =>
        Assert.Throws<StartupException>(() => SlackSettings.Validate(SlackSettings.Read(Config(values))));

    [Fact]
    public void MissingBotToken_NamesTheSettingAndWhereSlackShowsIt()
    {
        var error = Invalid(("SLACK_SIGNING_SECRET", "s"));
        Assert.StartsWith("SLACK_BOT_TOKEN is not set", error.Message);
        Assert.Contains("OAuth & Permissions", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void MissingSigningSecret_InHttpMode_NamesIt()
    {
        var error = Invalid(("SLACK_BOT_TOKEN", "xoxb-1"));
        Assert.StartsWith("SLACK_SIGNING_SECRET is not set", error.Message);
        Assert.Contains("Basic Information", error.Message);
    }

    [Fact]
    public void SocketMode_NeedsNoSigningSecret_ButAnXappToken()
    {
        var ok = SlackSettings.Read(Config(("SLACK_BOT_TOKEN", "xoxb-1"), ("SLACK_APP_TOKEN", "xapp-1")));
        SlackSettings.Validate(ok);
        Assert.True(ok.UseSocketMode);

        var error = Invalid(("SLACK_BOT_TOKEN", "xoxb-1"), ("SLACK_APP_TOKEN", "xoxb-oops"));
        Assert.StartsWith("SLACK_APP_TOKEN must be an app-level token", error.Message);
    }

    [Fact]
    public void BoltNames_WinOverTheSlackSection_AndApiUrlGetsItsSlash()
    {
        var options = SlackSettings.Read(Config(
            ("Slack:BotToken", "xoxb-section"), ("SLACK_BOT_TOKEN", "xoxb-env"),
            ("Slack:SigningSecret", "from-section"), ("SLACK_API_URL", "http://127.0.0.1:5000/api")));
        SlackSettings.Validate(options);

        Assert.Equal("xoxb-env", options.BotToken);
        Assert.Equal("from-section", options.SigningSecret);
        Assert.Equal("http://127.0.0.1:5000/api/", options.ApiUrl);
        Assert.Equal("https://slack.com/api/", SlackSettings.Read(Config()).ApiUrl);
    }

    [Fact]
    public void Apply_KeepsEveryOtherSlackSetting_AndTheResolvedTokens()
    {
        var config = Config(("Slack:WorkQueueCapacity", "123"), ("Slack:AckDeadline", "00:00:02"),
            ("SLACK_BOT_TOKEN", "xoxb-env"), ("SLACK_SIGNING_SECRET", "s"));
        var resolved = SlackSettings.Read(config);
        SlackSettings.Validate(resolved);
        var target = new SlackOptions();

        SlackSettings.Apply(config, resolved, target);

        Assert.Equal(123, target.WorkQueueCapacity);
        Assert.Equal(TimeSpan.FromSeconds(2), target.AckDeadline);
        Assert.Equal("xoxb-env", target.BotToken);
        Assert.Equal("s", target.SigningSecret);
    }

    [Fact]
    public void BotToken_OfTheWrongKind_IsRefused()
    {
        var error = Invalid(("SLACK_BOT_TOKEN", "xoxp-user-token"), ("SLACK_SIGNING_SECRET", "s"));
        Assert.StartsWith("SLACK_BOT_TOKEN must be a bot token", error.Message);
    }

    [Fact]
    public void DatabaseUrl_BecomesAnNpgsqlConnectionString()
    {
        var cs = new NpgsqlConnectionStringBuilder(DatabaseSettings.FromUrl("postgres://bot:p%40ss@db.example:6543/incidents?sslmode=require"));

        Assert.Equal("db.example", cs.Host);
        Assert.Equal(6543, cs.Port);
        Assert.Equal("bot", cs.Username);
        Assert.Equal("p@ss", cs.Password);
        Assert.Equal("incidents", cs.Database);
        Assert.Equal(SslMode.Require, cs.SslMode);
    }

    [Theory]
    [InlineData("mysql://u:p@h/db")]
    [InlineData("postgres://u:p@h")]
    [InlineData("not a url")]
    public void DatabaseUrl_Malformed_IsOneClearLine(string url)
    {
        var error = Assert.Throws<StartupException>(() => DatabaseSettings.FromUrl(url));
        Assert.StartsWith("DATABASE_URL must", error.Message);
        Assert.DoesNotContain("p@", error.Message);
    }

    [Fact]
    public void DatabaseUrl_WinsOverConnectionString_AndNeitherMeansNone()
    {
        var both = Config(("DATABASE_URL", "postgres://u@h/one"), ("ConnectionStrings:Bot", "Host=h;Database=two"));
        Assert.Equal("one", new NpgsqlConnectionStringBuilder(DatabaseSettings.ConfiguredConnectionString(both)).Database);
        Assert.Equal("two", new NpgsqlConnectionStringBuilder(DatabaseSettings.ConfiguredConnectionString(Config(("ConnectionStrings:Bot", "Host=h;Database=two")))).Database);
        Assert.Null(DatabaseSettings.ConfiguredConnectionString(Config()));
    }
}

public class BotOptionsTests
{
    [Fact]
    public void HangfireSettings_OutOfRange_IsAStartupError()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection([new("Bot:Hangfire:WorkerCount", "0")]).Build();

        var error = Assert.Throws<StartupException>(() => config.ReadBotOptions<Bot.Jobs.HangfireSettings>("Hangfire"));

        Assert.StartsWith("Bot:Hangfire: WorkerCount", error.Message);
    }

    [Fact]
    public void HangfireSettings_Defaults_PollEverySecond()
    {
        var settings = new ConfigurationBuilder().Build().ReadBotOptions<Bot.Jobs.HangfireSettings>("Hangfire");

        Assert.Equal(TimeSpan.FromSeconds(1), settings.PollInterval);
        Assert.Equal("hangfire", settings.Schema);
        Assert.False(settings.Dashboard);
    }
}
