using System.Text.Json.Nodes;
using Bot.ActionItems.Chasing;
using Bot.Slack.Testing;
using Bot.Slack.WebApi;
using Bot.Tests.Infrastructure;
using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static Bot.Tests.Postmortems.PostmortemWorld;

namespace Bot.Tests.ActionItems;

/// <summary>The bot on a database of its own with the app's clock a FakeTimeProvider (request signatures follow it),
/// one resolved incident whose point person is Ada (Berlin), and fresh owners per test in the zones they need.</summary>
public sealed class ActionItemsWorld : IAsyncLifetime
{
    public const string Ada = "U0ADA"; // Europe/Berlin, the point person
    public const string Bob = "U0BOB"; // America/New_York
    public const string Cat = "U0CAT"; // Etc/UTC, a bystander

    /// <summary>Monday 7 December 2026, 06:00 UTC; tests only move it forward.</summary>
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 12, 7, 6, 0, 0, TimeSpan.Zero));
    public FakeSlack Slack { get; private set; } = null!;
    public BotApp App { get; private set; } = null!;
    public string ConnectionString { get; private set; } = "";
    public Bot.Tests.Postmortems.PostmortemWorld.Incident Incident { get; private set; } = null!;
    public SlackAppDriver Driver { get; private set; } = null!;
    private int _owners;

    public async Task InitializeAsync()
    {
        Slack = await FakeSlack.StartAsync(new FakeSlackOptions { BotToken = BotApp.BotToken, TeamId = BotApp.DefaultTeamId });
        Slack.AddUser(Ada, "ada", "Ada Lovelace", "Ada", tz: "Europe/Berlin", title: "SRE");
        Slack.AddUser(Bob, "bob", "Bob Hope", "bob", tz: "America/New_York", title: "Backend");
        Slack.AddUser(Cat, "cat", "Cat Stevens", "cat");
        var general = Slack.AddChannel("general", members: [Ada, Bob, Cat]);
        ConnectionString = await PostgresServer.Instance.CreateDatabase("actionitems");
        App = await StartApp();
        Driver = Slack.OverHttp(App.BaseAddress.ToString(), BotApp.SigningSecret, Clock);
        Incident = await Resolve(general.Id, "Checkout");
    }

    public async Task<BotApp> StartApp(string? hangfireSchema = null, IDictionary<string, string?>? settings = null,
        Action<WebApplicationBuilder>? configure = null)
    {
        var all = new Dictionary<string, string?> { ["Bot:ActionItems:RunCron"] = NeverCron };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) all[key] = value;
        var app = await BotApp.Start(ConnectionString, Slack.ApiUrl, all, b =>
        {
            b.Services.AddSingleton<TimeProvider>(Clock);
            // The clock stands still: Slack's pacing would wait for it forever.
            b.Services.Configure<SlackWebApiOptions>(o => o.RateLimit = false);
            configure?.Invoke(b);
        }, hangfireSchema);
        app.Clock = Clock.GetUtcNow;
        return app;
    }

    /// <summary>The tests run the chase themselves at the clock's times; Hangfire's own minutely run would race them.</summary>
    public const string NeverCron = "0 0 31 2 *";

    /// <summary>Drops every open item, so a test that counts the run's DMs counts only its own.</summary>
    public async Task Quiet()
    {
        await using var c = await Open(ConnectionString);
        await c.ExecuteAsync("update action_items set status = 'dropped', drop_reason = 'test isolation' where status = 'open'");
    }

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await Slack.DisposeAsync();
    }

    /// <summary>A new person in <paramref name="tz"/>, so a test's DMs are its own.</summary>
    public string NewOwner(string tz)
    {
        var id = $"U0OWN{Interlocked.Increment(ref _owners):D3}";
        Slack.AddUser(id, id.ToLowerInvariant(), $"Owner {_owners} Real", $"owner{_owners}", tz: tz);
        return id;
    }

    public static Task<T> Scalar<T>(string connectionString, string sql, object? args = null) =>
        Bot.Tests.Postmortems.PostmortemWorld.Scalar<T>(connectionString, sql, args);
    public static Task<Npgsql.NpgsqlConnection> Open(string connectionString) => Bot.Tests.Postmortems.PostmortemWorld.Open(connectionString);
    public static string BlocksText(FakeMessage m) => Bot.Tests.Postmortems.PostmortemWorld.BlocksText(m);

    public static string Mention(string user) => $"<@{user}|{user.ToLowerInvariant()}>";

    /// <summary>The next <paramref name="day"/> after the clock's current UTC date, at midnight UTC.</summary>
    public DateTimeOffset Next(DayOfWeek day)
    {
        var d = Clock.GetUtcNow().UtcDateTime.Date.AddDays(1);
        while (d.DayOfWeek != day) d = d.AddDays(1);
        return new DateTimeOffset(d, TimeSpan.Zero);
    }

    public void At(DateTimeOffset t) => Clock.SetUtcNow(t);

    public async Task<Reply> Command(string text, string user, string? channelId = null)
    {
        var reply = await Driver.SlashCommand("/postmortem", text, user, channelId ?? Incident.ChannelId);
        Assert.Equal(200, reply.HttpStatus);
        return new Reply(200, reply.Body);
    }

    public async Task<long> Add(string text, string by = Ada)
    {
        var reply = await Command("action " + text, by);
        Assert.Equal("in_channel", reply.ResponseType);
        return await Scalar<long>(ConnectionString, "select max(id) from action_items");
    }

    /// <summary>Runs the chase as the recurring job would at the clock's time (the owners' DMs are Hangfire jobs).</summary>
    public async Task<int> ChaseRun(BotApp? app = null)
    {
        using var scope = (app ?? App).Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<ChaseRunJob>().Run(CancellationToken.None);
    }

    public string? DmChannel(string user) => Slack.Channels.FirstOrDefault(c => c.IsIm && c.ImUser == user)?.Id;

    public IReadOnlyList<FakeMessage> Dms(string user, string containing = "") =>
        DmChannel(user) is { } dm ? Slack.Messages(dm).Where(m => (m.Text ?? "").Contains(containing, StringComparison.Ordinal)).ToList() : [];

    public const string ChaseMark = "due soon";

    public IReadOnlyList<FakeMessage> Chases(string owner) => Dms(owner, ChaseMark);

    /// <summary>Waits for the owner's chase DM number <paramref name="n"/>.</summary>
    public async Task<FakeMessage> WaitForChase(string owner, int n = 1) =>
        (await Poll.Until(() => Task.FromResult(Chases(owner)), l => l.Count >= n, TimeSpan.FromSeconds(30), $"{owner}'s chase #{n}"))[n - 1];

    /// <summary>Waits until every planned chase row has been sent (so "no more DMs" can be asserted).</summary>
    public Task SettleChases() =>
        Poll.Until(() => Scalar<long>(ConnectionString, "select count(*) from action_item_chases where sent_at is null"), n => n == 0,
            TimeSpan.FromSeconds(30), "the planned chases to be sent");

    /// <summary>A click on an element of a message the fake holds; a users_select carries selected_user.</summary>
    public Task<AppReply> Click(string user, FakeMessage message, string actionId, string? value, string? blockId = null, string? selectedUser = null,
        SlackAppDriver? driver = null)
    {
        var action = new JsonObject
        {
            ["type"] = selectedUser is null ? "button" : "users_select", ["action_id"] = actionId, ["block_id"] = blockId ?? "b",
            ["action_ts"] = $"{Clock.GetUtcNow().ToUnixTimeSeconds()}.000001",
        };
        if (value is not null) action["value"] = value;
        if (selectedUser is not null) action["selected_user"] = selectedUser;
        var channel = Slack.Channel(message.Channel)!;
        return (driver ?? Driver).Interaction(new JsonObject
        {
            ["type"] = "block_actions",
            ["container"] = new JsonObject { ["type"] = "message", ["message_ts"] = message.Ts, ["channel_id"] = channel.Id, ["is_ephemeral"] = false },
            ["channel"] = new JsonObject { ["id"] = channel.Id, ["name"] = channel.Name ?? "directmessage" },
            ["message"] = new JsonObject { ["type"] = "message", ["ts"] = message.Ts, ["text"] = message.Text ?? "", ["blocks"] = message.Blocks?.DeepClone() },
            ["actions"] = new JsonArray(action),
        }, user);
    }

    /// <summary>A click on a button of a command's reply (an ephemeral or in-channel response, not stored by the fake).</summary>
    public Task<AppReply> ClickInReply(string user, string actionId, string value, SlackAppDriver? driver = null) =>
        (driver ?? Driver).Interaction(new JsonObject
        {
            ["type"] = "block_actions",
            ["container"] = new JsonObject { ["type"] = "message", ["message_ts"] = "1.000001", ["channel_id"] = Incident.ChannelId, ["is_ephemeral"] = true },
            ["channel"] = new JsonObject { ["id"] = Incident.ChannelId, ["name"] = "incident" },
            ["actions"] = new JsonArray(new JsonObject
            {
                ["type"] = "button", ["action_id"] = actionId, ["block_id"] = "b", ["value"] = value,
                ["action_ts"] = $"{Clock.GetUtcNow().ToUnixTimeSeconds()}.000001",
            }),
        }, user);

    /// <summary>The text of what the app posted to a click's response_url.</summary>
    public async Task<string> Answer(AppReply click, string containing) =>
        (await Slack.WaitForResponse(click.ResponseUrl!, r => r.Body?["text"]?.ToString().Contains(containing, StringComparison.Ordinal) == true))
        .Body!["text"]!.ToString();

    /// <summary>The value ("id:version") of a button in a message for the item.</summary>
    public static string ValueOf(FakeMessage message, string actionId, long itemId) =>
        message.Blocks!.AsArray().OfType<JsonObject>()
            .SelectMany(b => (b["elements"] as JsonArray)?.OfType<JsonObject>() ?? [])
            .Select(e => e["action_id"]?.ToString() == actionId ? e["value"]?.ToString() : null)
            .First(v => v is not null && v.StartsWith($"{itemId}:", StringComparison.Ordinal))!;

    /// <summary>Ada opens an incident in <paramref name="channelId"/> and resolves it.</summary>
    public async Task<Bot.Tests.Postmortems.PostmortemWorld.Incident> Resolve(string channelId, string title)
    {
        var opened = await Driver.SlashCommand("/incident", $"new {title} sev2", Ada, channelId);
        Assert.Equal(200, opened.HttpStatus);
        var row = (await Poll.Until(async () =>
        {
            await using var c = await Open(ConnectionString);
            return await c.QuerySingleOrDefaultAsync<(long Id, string? ChannelId, bool Done)?>(
                "select id, channel_id, reporter_told_at is not null from incidents order by id desc limit 1");
        }, r => r is { Done: true }, TimeSpan.FromSeconds(30), "the incident channel"))!.Value;
        var resolved = await Driver.SlashCommand("/incident", "resolve Failover fixed it", Ada, row.ChannelId!);
        Assert.Equal(200, resolved.HttpStatus);
        await Poll.Until(() => Scalar<bool>(ConnectionString, "select exists (select 1 from postmortems where incident_id = @Id)", new { row.Id }),
            ok => ok, TimeSpan.FromSeconds(30), "the post-mortem");
        return new Bot.Tests.Postmortems.PostmortemWorld.Incident(row.Id, row.ChannelId!, title, BotApp.DefaultTeamId, ConnectionString);
    }
}
