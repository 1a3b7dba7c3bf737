using Bot.Postmortems;
using Bot.Slack.Testing;
using Bot.Tests.Infrastructure;
using Bot.Timeline;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Bot.Tests.Hosting;

/// <summary>List settings as the real app reads them (BotHost.Build, the options it registers): a configured list
/// replaces the default one, it is not appended to it.</summary>
public sealed class ListSettingsTests : IAsyncLifetime
{
    private FakeSlack _slack = null!;
    private string _connectionString = "";

    public async Task InitializeAsync()
    {
        _slack = await FakeSlack.StartAsync(new FakeSlackOptions { BotToken = BotApp.BotToken, TeamId = BotApp.DefaultTeamId });
        _connectionString = await PostgresServer.Instance.CreateDatabase("lists");
    }

    public async Task DisposeAsync() => await _slack.DisposeAsync();

    private async Task<T> Read<T>(Dictionary<string, string?> settings, Func<IServiceProvider, T> read)
    {
        await using var app = await BotApp.Start(_connectionString, _slack, settings);
        return read(app.Services);
    }

    private static PostmortemOptions Postmortems(IServiceProvider services) =>
        services.GetRequiredService<IOptions<PostmortemOptions>>().Value;

    [Fact]
    public async Task ConfiguredLists_ReplaceTheDefaults()
    {
        var options = await Read(new Dictionary<string, string?>
        {
            ["Bot:Postmortems:PrepNudgeHours:0"] = "24",
            ["Bot:Postmortems:RequiredSections:0"] = Sections.Symptoms,
        }, Postmortems);

        Assert.Equal([24], options.PrepNudgeHours);
        Assert.Equal([Sections.Symptoms], options.RequiredSections);
    }

    [Fact]
    public async Task UnconfiguredLists_KeepTheDefaults()
    {
        var options = await Read(new Dictionary<string, string?> { ["Bot:Postmortems:ReminderHours"] = "12" }, Postmortems);

        Assert.Equal(12, options.ReminderHours);
        Assert.Equal([48, 4], options.PrepNudgeHours);
        Assert.Equal([Sections.Symptoms, Sections.Hypothesis, Sections.Remediation], options.RequiredSections);
    }

    [Fact]
    public async Task ListSetToNothing_IsEmpty()
    {
        var options = await Read(new Dictionary<string, string?> { ["Bot:Postmortems:RequiredSections"] = "" }, Postmortems);

        Assert.Empty(options.RequiredSections);
        Assert.Equal([48, 4], options.PrepNudgeHours);
    }

    [Fact]
    public async Task EmojiLegend_StillAddsToTheDefaults()
    {
        var legend = await Read(new Dictionary<string, string?> { ["Bot:Timeline:EmojiLegend:fire"] = Sections.Symptoms },
            services => services.GetRequiredService<EmojiLegend>());

        Assert.Equal(Sections.Symptoms, legend.SectionFor("fire"));
        Assert.Equal(Sections.Observations, legend.SectionFor("eyes"));
    }

    [Fact]
    public void JsonEmptyArray_EmptiesTheList_AndJsonArrayReplacesIt()
    {
        var json = """{ "Bot": { "Postmortems": { "RequiredSections": [], "PrepNudgeHours": [ 72 ] } } }""";
        var configuration = new ConfigurationBuilder()
            .AddJsonStream(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json))).Build();
        var options = new PostmortemOptions();

        Bot.Hosting.BotOptionsExtensions.BindReplacingLists(configuration.GetSection("Bot:Postmortems"), options);

        Assert.Empty(options.RequiredSections);
        Assert.Equal([72], options.PrepNudgeHours);
    }
}
