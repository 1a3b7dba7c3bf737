using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bot.Slack.Testing;
using Bot.Tests.Infrastructure;
using Dapper;
using Npgsql;

namespace Bot.Tests.Postmortems;

/// <summary>A fake Slack workspace with people in three time zones, and the bot on a database of its own (tests that
/// restart the bot or run two instances start their own apps on a fresh database with <see cref="StartApp"/>).</summary>
public sealed class PostmortemWorld : IAsyncLifetime
{
    public const string Ada = "U0ADA"; // Europe/Berlin, reports the incidents: the point person
    public const string Bob = "U0BOB"; // America/New_York, posts in the channel
    public const string Cat = "U0CAT"; // Etc/UTC, reacts

    public FakeSlack Slack { get; private set; } = null!;
    public BotApp App { get; private set; } = null!;
    public string ConnectionString { get; private set; } = "";
    public FakeChannel General { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Slack = await FakeSlack.StartAsync(new FakeSlackOptions { BotToken = BotApp.BotToken, TeamId = BotApp.DefaultTeamId, BotScopes = ManifestScopes.Bot });
        Slack.AddUser(Ada, "ada", "Ada Lovelace", "Ada", tz: "Europe/Berlin", title: "SRE");
        Slack.AddUser(Bob, "bob", "Bob Hope", "bob", tz: "America/New_York", title: "Backend");
        Slack.AddUser(Cat, "cat", "Cat Stevens", "cat");
        General = Slack.AddChannel("general", members: [Ada, Bob, Cat]);
        ConnectionString = await PostgresServer.Instance.CreateDatabase("postmortems");
        App = await StartApp(ConnectionString);
    }

    /// <summary>Bob is an admin (Bot:Access:Admins): the tests where a second person schedules or edits the same
    /// post-mortem need one who may (who may do what is tested in Access/AccessTableTests).</summary>
    public Task<BotApp> StartApp(string connectionString, string? hangfireSchema = null, Action<Microsoft.AspNetCore.Builder.WebApplicationBuilder>? configure = null,
        IDictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?> { ["Bot:Access:Admins:0"] = Bob };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) all[key] = value;
        return BotApp.Start(connectionString, Slack.ApiUrl, all, configure, hangfireSchema);
    }

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await Slack.DisposeAsync();
    }

    public sealed record Reply(int Status, JsonNode? Body)
    {
        public string Text => Body?["text"]?.GetValue<string>() ?? "";
        public string? ResponseType => Body?["response_type"]?.GetValue<string>();
    }

    public async Task<Reply> Command(BotApp app, string command, string text, string user, string channelId, string team)
    {
        var form = new Dictionary<string, string>
        {
            ["token"] = "deprecated", ["team_id"] = team, ["team_domain"] = "test", ["channel_id"] = channelId,
            ["channel_name"] = "x", ["user_id"] = user, ["user_name"] = user.ToLowerInvariant(), ["command"] = command,
            ["text"] = text, ["api_app_id"] = "A0TEST", ["response_url"] = Slack.ResponseUrl(), ["trigger_id"] = Slack.NewTriggerId(),
        };
        var body = string.Join("&", form.Select(kv => $"{Uri.EscapeDataString(kv.Key)}={Uri.EscapeDataString(kv.Value)}"));
        using var response = await app.Http.SendAsync(app.Signed("/slack/commands", body, "application/x-www-form-urlencoded"));
        var content = await response.Content.ReadAsStringAsync();
        return new Reply((int)response.StatusCode, content.Length == 0 ? null : JsonNode.Parse(content));
    }

    public async Task Event(BotApp app, object inner)
    {
        using var response = await app.PostEvent(app.EventEnvelope(inner));
        Assert.Equal(200, (int)response.StatusCode);
    }

    public sealed record Incident(long Id, string ChannelId, string Title, string Team, string Connection);

    /// <summary>Ada opens an incident with a unique title; Bob posts a message that Cat marks :boom: (symptoms).</summary>
    public async Task<Incident> OpenWithActivity(BotApp app, string connectionString, string titlePrefix)
    {
        var team = "T" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        var title = $"{titlePrefix} {Guid.NewGuid().ToString("N")[..6]}";
        var opened = await Command(app, "/incident", $"new {title} sev2", Ada, General.Id, team);
        Assert.Equal(200, opened.Status);
        var row = (await Poll.Until(async () =>
        {
            await using var c = await Open(connectionString);
            return await c.QuerySingleOrDefaultAsync<(long Id, string? ChannelId, bool Done)?>(
                "select id, channel_id, reporter_told_at is not null from incidents where team_id = @team", new { team });
        }, r => r is { Done: true }, TimeSpan.FromSeconds(30), "the incident channel"))!.Value;

        var ts = $"{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}.{Random.Shared.Next(100000, 999999)}";
        await Event(app, new { type = "message", channel = row.ChannelId, channel_type = "channel", user = Bob, text = "Checkout returns 502", ts, event_ts = ts });
        await Event(app, new
        {
            type = "reaction_added", user = Cat, reaction = "boom", item_user = Bob, event_ts = ts + "1",
            item = new { type = "message", channel = row.ChannelId, ts },
        });
        await Poll.Until(async () =>
        {
            await using var c = await Open(connectionString);
            return await c.ExecuteScalarAsync<long>("select count(*) from timeline_reactions where incident_id = @Id", new { row.Id });
        }, n => n == 1, what: "the reaction to be captured");
        return new Incident(row.Id, row.ChannelId!, title, team, connectionString);
    }

    /// <summary>Opens, resolves, and waits until the point person's prep DM went out.</summary>
    public async Task<Incident> Resolved(BotApp app, string connectionString, string titlePrefix)
    {
        var incident = await OpenWithActivity(app, connectionString, titlePrefix);
        var resolved = await Command(app, "/incident", "resolve Failover fixed it", Ada, incident.ChannelId, incident.Team);
        Assert.Equal("in_channel", resolved.ResponseType);
        await Poll.Until(() => Scalar<bool>(connectionString, "select prep_dm_sent_at is not null from postmortems where incident_id = @Id", new { incident.Id }),
            sent => sent, TimeSpan.FromSeconds(30), "the prep DM");
        return incident;
    }

    /// <summary>Every job of that class in the app's Hangfire has run (or was deleted by a later change): what they
    /// send is sent, so an absence can be asserted.</summary>
    public static Task JobsDone(BotApp app, string connection, string jobClass) =>
        Poll.Until(() => Scalar<long>(connection, $"""
            select count(*) from {app.HangfireSchema}.job
            where invocationdata::text like '%{jobClass}%' and statename not in ('Succeeded', 'Deleted')
            """), n => n == 0, TimeSpan.FromSeconds(30), $"the {jobClass}s to finish");

    public static Task NoticesDone(BotApp app, string connection) => JobsDone(app, connection, "MeetingNoticeJob");

    public static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public string? DmChannel(string user) => Slack.Channels.FirstOrDefault(c => c.IsIm && c.ImUser == user)?.Id;

    /// <summary>The bot's DMs to <paramref name="user"/> that mention <paramref name="containing"/>.</summary>
    public IReadOnlyList<FakeMessage> Dms(string user, string containing) =>
        DmChannel(user) is { } dm ? Slack.Messages(dm).Where(m => (m.Text ?? "").Contains(containing, StringComparison.Ordinal)).ToList() : [];

    /// <summary>The text of .ics files uploaded into the user's DM whose content mentions <paramref name="containing"/>.</summary>
    public IReadOnlyList<string> IcsFiles(string user, string containing)
    {
        var dm = DmChannel(user);
        return Slack.CallsTo("files.completeUploadExternal")
            .Where(c => c.Ok && c.Arg("channel_id") == dm)
            .SelectMany(c => c.JsonArg("files")!.AsArray().Select(f => f!["id"]!.ToString()))
            .Select(id => Slack.File(id)?.Content is { } bytes ? Encoding.UTF8.GetString(bytes) : "")
            .Where(text => text.Contains(containing, StringComparison.Ordinal))
            .ToList();
    }

    public static async Task<NpgsqlConnection> Open(string connectionString)
    {
        var c = new NpgsqlConnection(connectionString);
        await c.OpenAsync();
        return c;
    }

    public static async Task<T> Scalar<T>(string connectionString, string sql, object? args = null)
    {
        await using var c = await Open(connectionString);
        return await c.ExecuteScalarAsync<T>(sql, args) ?? default!;
    }

    /// <summary>A message's blocks as JSON text with mentions left readable (no \u003C escapes).</summary>
    public static string BlocksText(FakeMessage m) =>
        m.Blocks?.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) ?? "";

    public static string Json(object value) => JsonSerializer.Serialize(value);
}
