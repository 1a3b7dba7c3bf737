using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Bot.Slack.Dispatch;
using Bot.Slack.Signing;
using Bot.Tests.EndToEnd;
using Bot.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace Bot.Tests.Fuzz;

/// <summary>Thousands of generated requests (BOT_FUZZ_REQUESTS, default 10,000; seed BOT_FUZZ_SEED, default fixed) over
/// the three Slack endpoints of the real bot on real HTTP: every answer is a clean 2xx or a 4xx, never a 5xx or a dropped
/// connection; the app logs no unhandled failure; and afterwards a real /incident new still opens its channel.</summary>
public sealed class SlackEndpointsFuzzTests(IncidentWorld world, ITestOutputHelper output) : IClassFixture<IncidentWorld>
{
    public const int DefaultSeed = 20261203;
    private const int InFlight = 12;

    [Fact]
    public async Task TenThousandGeneratedRequests_OnlyCleanAcksOr4xx_AndTheBotStillServes()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("BOT_FUZZ_SEED"), out var s) ? s : DefaultSeed;
        var count = int.TryParse(Environment.GetEnvironmentVariable("BOT_FUZZ_REQUESTS"), out var n) ? n : 10_000;
        output.WriteLine($"fuzz seed {seed} (BOT_FUZZ_SEED), {count} requests (BOT_FUZZ_REQUESTS), {InFlight} in flight");

        // A real incident to aim at: its channel is where the capture handlers and /postmortem act.
        await world.Command("new Fuzz target", IncidentWorld.Ada, world.General.Id);
        var target = await world.WaitUntilOpened(1);
        var registry = world.App.Services.GetRequiredService<SlackHandlerRegistry>();
        var targets = new FuzzTargets(
            BotApp.DefaultTeamId,
            [IncidentWorld.Ada, IncidentWorld.Bob, IncidentWorld.Cat],
            [world.General.Id, target.ChannelId, target.ChannelId, world.Announcements.Id],
            [.. registry.BlockActionKeys()],
            [.. registry.ViewSubmissionKeys(), .. registry.ViewClosedKeys()],
            () => world.Slack.ResponseUrl(),
            () => world.Slack.NewTriggerId());
        var maxBody = world.App.Services.GetRequiredService<IOptions<Bot.Slack.SlackOptions>>().Value.MaxBodyBytes;
        var requests = new FuzzRequests(seed, targets, FuzzSamples.Events(), FuzzSamples.Interactions(), maxBody);

        var clock = Stopwatch.StartNew();
        var outcomes = await Send(requests, count);
        clock.Stop();

        Report(outcomes, clock.Elapsed);
        var wrong = outcomes.Where(o => !o.Acceptable).ToList();
        Assert.True(wrong.Count == 0, $"seed {seed}: {wrong.Count} of {count} requests got a wrong answer:\n" +
            string.Join("\n", wrong.Take(15).Select(o => o.ToString())));

        // Still serving: a fresh incident opens end to end (channel, kickoff, pin, reporter told).
        await world.Command("new After the storm", IncidentWorld.Bob, world.General.Id);
        var after = await Poll.Until(async () => await world.Scalar<int>(
                "select number from incidents where title = 'After the storm' and reporter_told_at is not null"),
            number => number > 0, TimeSpan.FromSeconds(60), "the incident opened after the fuzz run");
        var opened = await world.WaitUntilOpened(after);
        Assert.Single(world.Slack.Channels, c => c.Name == opened.ChannelName);
        Assert.Contains(world.Slack.Messages(opened.ChannelId), m => m.Ts == opened.KickoffTs && m.BotId is not null);

        // Nothing the bot did not expect: the endpoint's last-resort catch and the dispatcher's handler guard log at Error.
        var errors = world.Logs.Entries.Where(e => e.Level >= LogLevel.Error).ToList();
        Assert.True(errors.Count == 0, $"seed {seed}: the app logged {errors.Count} errors:\n" +
            string.Join("\n", errors.DistinctBy(e => e.Exception?.StackTrace?.Split('\n').FirstOrDefault()).Take(10)
                .Select(e => $"{e.Category}: {e.Message}\n    {e.Exception?.ToString().Split('\n').Take(8).Aggregate((a, b) => a + "\n    " + b)}")));
    }

    private sealed record Outcome(FuzzRequest Request, int? Status, string? Error, byte[]? Raw)
    {
        public bool Acceptable => Error is null && Status is { } s
            && (Request.Expected is { } expected ? s == expected : s is >= 200 and < 300 or >= 400 and < 500)
            // The challenge comes back byte for byte (as UTF-8: a lone surrogate Slack would never send reads as U+FFFD).
            && (Request.Challenge is null || Raw.AsSpan().SequenceEqual(Encoding.UTF8.GetBytes(Request.Challenge)));

        private string? Body => Raw is null ? null : Encoding.UTF8.GetString(Raw);

        public override string ToString()
        {
            var head = Encoding.UTF8.GetString(Request.Body.AsSpan(0, Math.Min(300, Request.Body.Length)));
            return $"{Request.Kind} {Request.Path} ({Request.Signing}, {Request.ContentType ?? "no content type"}, {Request.Body.Length} bytes) -> " +
                   $"{(Error ?? Status.ToString())} {(Request.Expected is { } e ? $"(expected {e}) " : "")}body: {Body?[..Math.Min(200, Body.Length)]}\n    sent: {head}";
        }
    }

    /// <summary>Generates each request just before it is sent (in one sequence, so the seed still decides them all):
    /// a trigger_id or response_url made minutes earlier would have expired, as Slack's do.</summary>
    private async Task<IReadOnlyList<Outcome>> Send(FuzzRequests requests, int count)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = InFlight + 4 })
        {
            BaseAddress = world.App.BaseAddress,
            Timeout = TimeSpan.FromSeconds(30),
        };
        var outcomes = new ConcurrentBag<Outcome>();
        using var gate = new SemaphoreSlim(InFlight);
        var sending = new List<Task>(count);
        for (var i = 0; i < count; i++)
        {
            await gate.WaitAsync();
            sending.Add(SendOne(requests.Next()));
        }
        await Task.WhenAll(sending);
        return [.. outcomes];

        async Task SendOne(FuzzRequest request)
        {
            await Task.Yield();
            try
            {
                using var message = Build(request);
                using var response = await http.SendAsync(message);
                var body = await response.Content.ReadAsByteArrayAsync();
                outcomes.Add(new Outcome(request, (int)response.StatusCode, null, body));
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
            {
                outcomes.Add(new Outcome(request, null, $"dropped: {e.GetType().Name}: {e.Message}", null));
            }
            finally
            {
                gate.Release();
            }
        }
    }

    private static HttpRequestMessage Build(FuzzRequest request)
    {
        HttpContent content = request.Chunked ? new ChunkedContent(request.Body) : new ByteArrayContent(request.Body);
        content.Headers.ContentType = request.ContentType is null ? null : MediaTypeHeaderValue.Parse(request.ContentType);
        var message = new HttpRequestMessage(HttpMethod.Post, request.Path) { Content = content };
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var timestamp = request.Signing switch
        {
            Signing.Stale => (now - 301 - request.Body.Length % 100_000).ToString(),
            Signing.Future => (now + 301 + request.Body.Length % 100_000).ToString(),
            Signing.GarbageTimestamp => new[] { "abc", "-5", " 1", "1e10", "9999999999999", "0x10", "12.5" }[request.Body.Length % 7],
            _ => now.ToString(),
        };
        var secret = request.Signing == Signing.WrongSecret ? "not-the-signing-secret" : BotApp.SigningSecret;
        var signature = request.Signing switch
        {
            Signing.BadSignature => new[] { "v0=", "v0=zz", "v1=" + new string('0', 64), "v0=" + new string('0', 64), "garbage" }[request.Body.Length % 5],
            _ => SlackSignatureVerifier.Sign(secret, timestamp, request.Body),
        };
        if (request.Signing is not (Signing.NoTimestamp or Signing.NoHeaders))
            message.Headers.TryAddWithoutValidation(SlackSignatureVerifier.TimestampHeader, timestamp);
        if (request.Signing is not (Signing.NoSignature or Signing.NoHeaders))
            message.Headers.TryAddWithoutValidation(SlackSignatureVerifier.SignatureHeader, signature);
        return message;
    }

    private void Report(IReadOnlyList<Outcome> outcomes, TimeSpan elapsed)
    {
        output.WriteLine($"{outcomes.Count} requests in {elapsed.TotalSeconds:0.0} s ({outcomes.Count / elapsed.TotalSeconds:0} per second)");
        output.WriteLine("by kind: " + string.Join(", ", outcomes.GroupBy(o => o.Request.Kind).OrderByDescending(g => g.Count()).Select(g => $"{g.Key} {g.Count()}")));
        output.WriteLine("by path: " + string.Join(", ", outcomes.GroupBy(o => o.Request.Path).OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Count()}")));
        output.WriteLine("by status: " + string.Join(", ", outcomes.GroupBy(o => o.Status?.ToString() ?? "dropped").OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Count()}")));
        foreach (var kind in outcomes.GroupBy(o => o.Request.Kind).OrderBy(g => g.Key))
            output.WriteLine($"  {kind.Key}: " + string.Join(", ", kind.GroupBy(o => o.Status?.ToString() ?? "dropped").OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Count()}")));
        output.WriteLine("signed validly: " + outcomes.Count(o => o.Request.Signing == Signing.Valid));
        output.WriteLine($"incidents opened by the fuzz: {world.Scalar<long>("select count(*) from incidents").GetAwaiter().GetResult()}");
    }

    /// <summary>A body sent chunked, with no Content-Length: the size check must not trust a header.</summary>
    private sealed class ChunkedContent(byte[] bytes) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => stream.WriteAsync(bytes).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}

/// <summary>Slack's own sample payloads (Bot.Slack.Tests/Samples, copied beside the tests) as the fuzzer's seeds.</summary>
internal static class FuzzSamples
{
    private static string Root => Path.Combine(AppContext.BaseDirectory, "FuzzSamples");

    public static IReadOnlyList<JsonObject> Events() => Load("events").Where(o => o["type"] is not null).ToList();

    public static IReadOnlyList<JsonObject> Interactions() => Load("interactivity");

    private static List<JsonObject> Load(string folder) =>
        Directory.EnumerateFiles(Path.Combine(Root, folder), "*.json", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .Select(f => JsonNode.Parse(File.ReadAllText(f)))
            .OfType<JsonObject>()
            .ToList();
}
