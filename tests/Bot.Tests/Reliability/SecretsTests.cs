using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using Bot.Slack.Testing;
using Bot.Tests.Infrastructure;
using Bot.Tests.Publishing;
using static Bot.Tests.Postmortems.PostmortemWorld;

namespace Bot.Tests.Reliability;

/// <summary>No secret (bot token, signing secret, SMTP password, dashboard password, database password) ever shows in
/// what the bot logs (every level, with exceptions), in the Hangfire dashboard (job arguments, exceptions, states),
/// in what the fake Slack received (every argument of every call: texts shown to users, blocks, files), or in the email,
/// also not URL-encoded or base64-encoded as Basic or SMTP AUTH would carry it. One full flow: open, capture,
/// resolve, schedule, publish with email over AUTH, a Slack 500 that fails a job (retried), a request with a bad
/// signature, and the dashboard's pages fetched over HTTP with its password.</summary>
public sealed class SecretsTests : IAsyncLifetime
{
    private const string DashboardUser = "ops";
    private const string DashboardPassword = "dash-Secret-Kq7Vw2-pass";
    private const string DbPassword = "db-Secret-Lm4Xc9-pass";

    private readonly PublishWorld _world = new() { DatabasePassword = DbPassword };

    public Task InitializeAsync()
    {
        _world.ExtraSettings["Bot:Hangfire:Dashboard"] = "true";
        _world.ExtraSettings["Bot:Hangfire:DashboardUser"] = DashboardUser;
        _world.ExtraSettings["Bot:Hangfire:DashboardPassword"] = DashboardPassword;
        return _world.InitializeAsync();
    }

    public Task DisposeAsync() => _world.DisposeAsync();

    /// <summary>Each secret and the forms it travels in (URL-encoded, base64 of user:password, SMTP AUTH PLAIN/LOGIN).</summary>
    private IReadOnlyList<(string Name, string Form)> Secrets()
    {
        var raw = new List<(string, string)>
        {
            ("bot token", BotApp.BotToken),
            ("signing secret", BotApp.SigningSecret),
            ("SMTP password", PublishWorld.SmtpPassword),
            ("dashboard password", DashboardPassword),
            ("database password", _world.DatabasePassword!),
        };
        var forms = new List<(string, string)>();
        foreach (var (name, value) in raw)
        {
            forms.Add((name, value));
            if (Uri.EscapeDataString(value) != value) forms.Add((name + " (URL-encoded)", Uri.EscapeDataString(value)));
            forms.Add((name + " (base64)", B64(value)));
        }
        forms.Add(("dashboard Basic credentials", B64($"{DashboardUser}:{DashboardPassword}")));
        forms.Add(("SMTP AUTH PLAIN", B64($"\0{_world.Smtp.User}\0{PublishWorld.SmtpPassword}")));
        return forms;
    }

    private static string B64(string s) => Convert.ToBase64String(Encoding.UTF8.GetBytes(s));

    [Fact]
    public async Task AFullFlow_WithFailures_LeavesNoSecretInLogsDashboardSlackOrEmail()
    {
        var app = _world.App;
        var incident = await _world.World.Resolved(app, _world.ConnectionString, "Secrets");
        var scheduled = await _world.World.Command(app, "/postmortem", "schedule tomorrow 15:00", Ada, incident.ChannelId, incident.Team);
        Assert.Equal(200, scheduled.Status);

        // The schedule's own posts (notices, invites) first, so the failure below hits a publishing post.
        await Poll.Until(() => Scalar<long>(_world.ConnectionString, $"""
            select count(*) from {app.HangfireSchema}.job where statename in ('Enqueued', 'Processing')
              and invocationdata::text not like '%ChaseRunJob%'
            """), n => n == 0, TimeSpan.FromSeconds(60), "the schedule's jobs to finish"); // reminders stay Scheduled for later

        // A Slack 500 fails the first publishing post: the job throws, Hangfire records the exception and retries.
        _world.Slack.FailNext("chat.postMessage", 1, Failure.ServerError(500));
        await _world.Publish(incident, Ada, "--force");
        await Poll.Until(() => Scalar<long>(_world.ConnectionString,
                "select count(*) from postmortem_sends where incident_id = @Id and kind like 'publish%' and sent_at is not null", new { incident.Id }),
            n => n == 9, TimeSpan.FromSeconds(90), "every publish step, after the retry");
        Assert.Contains(await Scalar<long>(_world.ConnectionString, $"""
            select count(*) from {app.HangfireSchema}.state where name = 'Failed' or (name = 'Scheduled' and reason like 'Retry attempt%')
            """), new long[] { 1, 2, 3, 4 });

        // A request Slack did not sign (a wrong secret): refused, and logged without any secret.
        var forged = app.Signed("/slack/events", app.EventEnvelope(new { type = "app_home_opened", user = Bob, tab = "home" }), "application/json");
        forged.Headers.Remove("X-Slack-Signature");
        forged.Headers.Add("X-Slack-Signature", "v0=" + new string('0', 64));
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Http.SendAsync(forged)).StatusCode);

        // The dashboard, with its password: every list, and every job's page (arguments, exceptions, history).
        var pages = new StringBuilder();
        var basic = new AuthenticationHeaderValue("Basic", B64($"{DashboardUser}:{DashboardPassword}"));
        async Task<string> Get(string path)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Authorization = basic;
            using var response = await app.Http.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var html = await response.Content.ReadAsStringAsync();
            pages.Append(html);
            return html;
        }
        var lists = new[] { "", "/jobs/enqueued", "/jobs/scheduled", "/jobs/processing", "/jobs/succeeded", "/jobs/failed", "/jobs/deleted",
            "/jobs/awaiting", "/retries", "/recurring", "/servers" };
        foreach (var list in lists) await Get("/hangfire" + list);
        var ids = Regex.Matches(pages.ToString(), @"/hangfire/jobs/details/(\d+)").Select(m => m.Groups[1].Value).Distinct().ToList();
        Assert.True(ids.Count >= 9, $"job pages found: {ids.Count}");
        foreach (var id in ids)
            Assert.Contains("Hangfire", await Get($"/hangfire/jobs/details/{id}"));
        Assert.Contains("500", pages.ToString()); // the failed attempt's exception is on a page we read

        // Everything the fake Slack received: every argument of every call (texts, blocks, views, file contents).
        var slack = new StringBuilder();
        foreach (var call in _world.Slack.Calls)
            foreach (var (name, value) in call.Arguments)
                slack.Append(name).Append('=').Append(value.ToString()).Append('\n');
        foreach (var file in _world.Slack.Files)
            if (file.Content is { } bytes) slack.Append(Encoding.UTF8.GetString(bytes));
        var mail = string.Join("\n", _world.Smtp.Messages.Select(m => m.Message.ToString()));
        Assert.NotEmpty(_world.Smtp.Messages);

        var logs = string.Join("\n", _world.Logs);
        // The log holds failures (the forged signature at least), not only chatter.
        Assert.Contains(_world.Logs, l => l.StartsWith("Warning", StringComparison.Ordinal) || l.StartsWith("Error", StringComparison.Ordinal));
        var places = new Dictionary<string, string> { ["logs"] = logs, ["dashboard"] = pages.ToString(), ["Slack"] = slack.ToString(), ["email"] = mail };
        var leaks = (from secret in Secrets()
                     from place in places
                     where place.Value.Contains(secret.Form, StringComparison.Ordinal)
                     select $"{secret.Name} in {place.Key}: …{Around(place.Value, secret.Form)}…").ToList();
        Assert.True(leaks.Count == 0, string.Join("\n", leaks));
    }

    private static string Around(string text, string secret)
    {
        var i = text.IndexOf(secret, StringComparison.Ordinal);
        var start = Math.Max(0, i - 150);
        return text[start..Math.Min(text.Length, i + secret.Length + 50)];
    }
}
