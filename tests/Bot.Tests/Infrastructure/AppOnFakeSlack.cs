using Bot.Slack.Testing;

namespace Bot.Tests.Infrastructure;

/// <summary>A test class's own bot (on a database of its own) against a fake Slack of its own.</summary>
public abstract class AppOnFakeSlack(PostgresFixture postgres) : IClassFixture<PostgresFixture>, IAsyncLifetime
{
    protected FakeSlack Slack { get; private set; } = null!;
    protected BotApp App { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Slack = await FakeSlack.StartAsync(new FakeSlackOptions { BotScopes = ManifestScopes.Bot });
        App = await BotApp.Start(postgres.ConnectionString, Slack);
    }

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await Slack.DisposeAsync();
    }
}
