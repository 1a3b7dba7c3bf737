using System.Text.Json;
using System.Text.Json.Nodes;
using Bot.Slack.Testing;
using Bot.Slack.WebApi;
using Microsoft.Extensions.DependencyInjection;
using Bot.Tests.Infrastructure;
using Dapper;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Bot.Tests.EndToEnd;

/// <summary>The bot on a database of its own, a fake Slack workspace with people and channels, and the
/// requests Slack would send: signed slash commands, interactions and events.</summary>
public class IncidentWorld : IAsyncLifetime
{
    public const string Ada = "U0ADA";
    public const string Bob = "U0BOB";
    public const string Cat = "U0CAT";

    public FakeSlack Slack { get; private set; } = null!;
    public BotApp App { get; private set; } = null!;
    public string ConnectionString { get; private set; } = "";
    public FakeChannel General { get; private set; } = null!;
    public FakeChannel Announcements { get; private set; } = null!;

    /// <summary>What the app logged (warnings and worse).</summary>
    public LogRecorder Logs { get; } = new();

    /// <summary>The announcement channel. The operator invites nobody (README): the bot is not a member.</summary>
    protected virtual FakeChannel CreateAnnouncements() => Slack.AddChannel("incidents", botIsMember: false, members: [Ada]);

    /// <summary>Settings a variant of this world adds (they win over the defaults above).</summary>
    protected virtual IReadOnlyDictionary<string, string?> ExtraSettings { get; } = new Dictionary<string, string?>();

    public async Task InitializeAsync()
    {
        ConnectionString = await PostgresServer.Instance.CreateDatabase("incidents");
        Slack = await FakeSlack.StartAsync(new FakeSlackOptions { BotToken = BotApp.BotToken, TeamId = BotApp.DefaultTeamId, BotScopes = ManifestScopes.Bot });
        Slack.AddUser(Ada, "ada", "Ada Lovelace", "Ada", title: "SRE");
        Slack.AddUser(Bob, "bob", "Bob Hope", "bob", title: "Backend");
        Slack.AddUser(Cat, "cat", "Cat Stevens", "cat");
        General = Slack.AddChannel("general", members: [Ada, Bob, Cat]);
        Announcements = CreateAnnouncements();
        var settings = new Dictionary<string, string?> { ["Bot:Incidents:AnnounceChannel"] = Announcements.Id };
        foreach (var (key, value) in ExtraSettings) settings[key] = value;
        App = await BotApp.Start(ConnectionString, Slack.ApiUrl, settings,
        // These tests open many incidents within seconds; Slack's per-tier pacing (tested in Bot.Slack.Tests)
        // would make them wait minutes for conversations.create.
        configure: b =>
        {
            b.Services.Configure<SlackWebApiOptions>(o => o.RateLimit = false);
            b.Logging.AddProvider(Logs);
            Configure(b);
        });
    }

    /// <summary>What a variant of this world changes in the app (after the defaults above).</summary>
    protected virtual void Configure(Microsoft.AspNetCore.Builder.WebApplicationBuilder builder) { }

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await Slack.DisposeAsync();
    }

    public sealed record CommandReply(int Status, JsonNode? Body, string ResponseUrl)
    {
        public string Text => Body?["text"]?.GetValue<string>() ?? "";
        public string? ResponseType => Body?["response_type"]?.GetValue<string>();
    }

    /// <summary>/incident as Slack posts it, with a response_url and trigger_id the fake will honour.</summary>
    public async Task<CommandReply> Command(string text, string user, string channelId, string teamId = BotApp.DefaultTeamId)
    {
        var responseUrl = Slack.ResponseUrl();
        var form = new Dictionary<string, string>
        {
            ["token"] = "deprecated", ["team_id"] = teamId, ["team_domain"] = "test", ["channel_id"] = channelId,
            ["channel_name"] = "x", ["user_id"] = user, ["user_name"] = user.ToLowerInvariant(), ["command"] = "/incident",
            ["text"] = text, ["api_app_id"] = "A0TEST", ["response_url"] = responseUrl, ["trigger_id"] = Slack.NewTriggerId(),
        };
        var body = string.Join("&", form.Select(kv => $"{Uri.EscapeDataString(kv.Key)}={Uri.EscapeDataString(kv.Value)}"));
        using var response = await App.Http.SendAsync(App.Signed("/slack/commands", body, "application/x-www-form-urlencoded"));
        var content = await response.Content.ReadAsStringAsync();
        return new CommandReply((int)response.StatusCode, content.Length == 0 ? null : JsonNode.Parse(content), responseUrl);
    }

    public async Task<HttpResponseMessage> Interaction(object payload)
    {
        var form = "payload=" + Uri.EscapeDataString(JsonSerializer.Serialize(payload));
        return await App.Http.SendAsync(App.Signed("/slack/interactivity", form, "application/x-www-form-urlencoded"));
    }

    /// <summary>Delivers an event; with <paramref name="twice"/> Slack's retry (same event_id, X-Slack-Retry-Num) follows.</summary>
    public async Task<string> Event(object inner, bool twice = false, string? eventId = null)
    {
        eventId ??= "Ev" + Guid.NewGuid().ToString("N")[..12].ToUpperInvariant();
        var json = App.EventEnvelope(inner, eventId);
        using (var first = await App.PostEvent(json)) Assert.Equal(200, (int)first.StatusCode);
        if (twice)
            using (var retry = await App.PostEvent(json, retryNum: 1)) Assert.Equal(200, (int)retry.StatusCode);
        return eventId;
    }

    public async Task<NpgsqlConnection> Db()
    {
        var c = new NpgsqlConnection(ConnectionString);
        await c.OpenAsync();
        return c;
    }

    public async Task<T> Scalar<T>(string sql, object? args = null)
    {
        await using var c = await Db();
        return await c.ExecuteScalarAsync<T>(sql, args) ?? default!;
    }

    /// <summary>Waits until the job has finished with the incident: every step's marker set.</summary>
    public async Task<IncidentState> WaitUntilOpened(int number, string teamId = BotApp.DefaultTeamId) =>
        (await Poll.Until(async () =>
        {
            await using var c = await Db();
            return await c.QuerySingleOrDefaultAsync<IncidentState>("""
                select id, channel_id as ChannelId, channel_created_name as ChannelName, kickoff_ts as KickoffTs,
                       reporter_told_at is not null as Done, created_at as CreatedAt
                from incidents where team_id = @teamId and number = @number
                """, new { teamId, number });
        }, s => s is { Done: true }, TimeSpan.FromSeconds(30), $"incident #{number} to be opened"))!;

    public sealed class IncidentState
    {
        public long Id { get; set; }
        public string ChannelId { get; set; } = "";
        public string ChannelName { get; set; } = "";
        public string KickoffTs { get; set; } = "";
        public bool Done { get; set; }
        public DateTime CreatedAt { get; set; }

        public override string ToString() => $"incident {Id}: channel {ChannelId} {ChannelName}, kickoff {KickoffTs}, done {Done}";
    }
}
