using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Bot.Tests.Infrastructure;
using Bot.Tests.Publishing;
using static Bot.Tests.Postmortems.PostmortemWorld;

namespace Bot.Tests.Reliability;

/// <summary>One set of hostile strings through the real flow (title, captured message, note, link, resolve summary,
/// schedule, publish with email) and every output checked: whatever the bot sent to Slack (texts, blocks, topics,
/// purposes, replies to slash commands), the Markdown file, the email's HTML, the .ics invites. Nobody is pinged
/// through user text, no link is forged, no template runs, no HTML element is injected, no .ics line is injected.</summary>
public sealed class HostileTextTests : IAsyncLifetime
{
    // A title: broadcasts, a forged mention and link, template code, HTML, Markdown table breakers, a control character.
    internal const string Title = "<!channel> <!here> <!everyone> <@U0BOB> <https://evil.example|click> {{ 7*7 }} {% if %} <script>alert(1)</script></td> | `x` ](javascript:alert(1)) \u0007";
    // Said in the channel (and marked): the same, with newlines, a heading and a fence.
    internal const string Message = "<!channel> pay now <https://evil.example|click> {{ 6*7 }}\n# heading\n| a | b |\n```\n</td><script>alert(2)</script>";

    private readonly PublishWorld _world = new();

    public Task InitializeAsync() => _world.InitializeAsync();
    public Task DisposeAsync() => _world.DisposeAsync();

    [Fact]
    public async Task HostileText_InEveryField_PingsNobody_RunsNoTemplate_InjectsNoHtmlOrIcsLine()
    {
        var app = _world.App;
        var incident = await _world.World.OpenWithActivity(app, _world.ConnectionString, Title);
        var world = _world.World;
        var ts = $"{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}.{Random.Shared.Next(100000, 999999)}";
        await world.Event(app, new { type = "message", channel = incident.ChannelId, channel_type = "channel", user = Bob, text = Message, ts, event_ts = ts });
        await world.Event(app, new
        {
            type = "reaction_added", user = Cat, reaction = "bulb", item_user = Bob, event_ts = ts + "1",
            item = new { type = "message", channel = incident.ChannelId, ts },
        });
        var replies = new List<string>();
        async Task Say(string command, string text)
        {
            var reply = await world.Command(app, command, text, Ada, incident.ChannelId, incident.Team);
            Assert.InRange(reply.Status, 200, 299);
            replies.Add(reply.Body?.ToJsonString() ?? "");
        }
        await Say("/incident", "note " + Message);
        await Say("/incident", "link <https://status.example/x|Status> <!channel> {{ 1+1 }}");
        await Say("/incident", "resolve " + Message);
        await Poll.Until(() => Scalar<bool>(_world.ConnectionString, "select prep_dm_sent_at is not null from postmortems where incident_id = @Id", new { incident.Id }),
            sent => sent, TimeSpan.FromSeconds(30), "the prep DM");
        await Say("/postmortem", "schedule 2027-03-29 10:00 for 30");
        await Say("/postmortem", "publish --force");
        await Poll.Until(() => Scalar<long>(_world.ConnectionString,
                "select count(*) from postmortem_sends where incident_id = @Id and kind like 'publish%' and sent_at is not null", new { incident.Id }),
            n => n == 9, TimeSpan.FromSeconds(60), "every publish step");
        var ics = await Poll.Until(() => Task.FromResult(world.IcsFiles(Bob, "20270329T080000Z")), l => l.Count >= 1, TimeSpan.FromSeconds(20), "Bob's .ics");

        // Everything the bot said in Slack: every text-bearing argument of every call, and its replies.
        var said = SaidInSlack(_world.Slack, replies);
        Assert.Contains(said, s => s.Contains("7*7", StringComparison.Ordinal)); // the title did reach Slack
        AssertNothingLive(said);

        // The Markdown file: no raw HTML, no heading or table row made from user text, the template code shown as text.
        var md = _world.Slack.Files.Where(f => f.Name.EndsWith(".md", StringComparison.Ordinal) && f.Content is not null)
            .Select(f => Encoding.UTF8.GetString(f.Content!)).First(t => t.Contains("7*7", StringComparison.Ordinal) || t.Contains("7\\*7", StringComparison.Ordinal));
        Assert.DoesNotContain("<script>", md);
        Assert.DoesNotContain("<!channel>", md);
        Assert.DoesNotContain(md.Split('\n'), line => line.StartsWith("# heading", StringComparison.Ordinal));
        Assert.DoesNotContain("](javascript:alert(1))", md.Replace("\\](javascript:alert(1))", "", StringComparison.Ordinal));

        // The email: the script and the cell end are text, not markup.
        var email = Assert.Single(_world.Smtp.Messages).Message;
        Assert.DoesNotContain("<script>", email.HtmlBody);
        Assert.DoesNotContain("</script></td>", email.HtmlBody);
        Assert.Contains("&lt;script&gt;", email.HtmlBody);
        Assert.DoesNotContain("<!channel>", email.Subject);

        // The .ics: every line is a property or a folded continuation, at most 75 octets; user text cannot start one.
        foreach (var file in ics)
        {
            var lines = file.Split("\r\n");
            Assert.All(lines.Where(l => l.Length > 0), l => Assert.Matches(@"^([A-Z][A-Z0-9-]*[;:]| )", l));
            Assert.All(lines, l => Assert.True(Encoding.UTF8.GetByteCount(l) <= 75, l));
            Assert.DoesNotContain(lines, l => l.StartsWith("# heading", StringComparison.Ordinal) || l.StartsWith("| a", StringComparison.Ordinal));
            Assert.DoesNotContain('\u0007', file);
        }
    }

    /// <summary>Every text-bearing argument of every call the bot made to Slack (messages, updates, ephemerals, topics,
    /// purposes, views, uploads), then <paramref name="replies"/> and every body posted to a response_url.</summary>
    internal static List<string> SaidInSlack(Bot.Slack.Testing.FakeSlack slack, IEnumerable<string> replies)
    {
        var json = new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        return slack.Calls
            .Where(c => c.Method is "chat.postMessage" or "chat.update" or "chat.postEphemeral" or "conversations.setTopic" or "conversations.setPurpose"
                or "views.open" or "views.publish" or "views.update" or "files.completeUploadExternal")
            .Select(c => string.Join("\n", c.Arguments.Select(a => $"{a.Key}={(a.Value.ValueKind == JsonValueKind.String ? a.Value.GetString() : a.Value.GetRawText())}")))
            .Concat(replies)
            .Concat(slack.Responses.Select(r => r.Body?.ToJsonString(json) ?? ""))
            .ToList();
    }

    /// <summary>No broadcast, no forged link or mention, and no evaluated {{ 7*7 }} in any of <paramref name="said"/>.</summary>
    internal static void AssertNothingLive(IEnumerable<string> said)
    {
        foreach (var text in said)
        {
            foreach (var broadcast in new[] { "<!channel>", "<!here>", "<!everyone>", "<https://evil", "<@U0BOB> &lt;", "<@U0BOB> <https" })
                Assert.False(text.Contains(broadcast, StringComparison.Ordinal), $"{broadcast} in: {text}");
            // {{ 7*7 }} never evaluated: a 49 of its own, not part of a number, a time or an id like a trigger_id's hex.
            // Times and long numbers go first, so "03T12:49" loses "12:49" before "03T" goes with the words.
            var withoutNumbers = Regex.Replace(text, @"\d+(?:[.:]\d+)+|\d{3,}", "");
            Assert.DoesNotContain("49", Regex.Replace(withoutNumbers, @"[A-Za-z0-9]*[A-Za-z][A-Za-z0-9]*", ""));
        }
    }
}
