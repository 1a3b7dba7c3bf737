using System.Text;
using System.Text.Json.Nodes;
using Bot.Slack.Testing;
using Bot.Slack.WebApi;
using Bot.Tests.EndToEnd;
using Bot.Tests.Infrastructure;
using Bot.Timeline;
using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Tests.History;

/// <summary>The incident world with a small page size, so a channel's history takes several pages of
/// conversations.history, and helpers to seed a channel's past and read what the backfill made of it.</summary>
public sealed class BackfillWorld : IncidentWorld
{
    public const int PageSize = 4;

    protected override void Configure(WebApplicationBuilder builder) =>
        builder.Services.Configure<SlackWebApiOptions>(o => o.PageSize = PageSize);

    public static string NewTeam() => "TBF" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();

    /// <summary>Waits until the incident of the channel has a finished backfill; returns the incident id.</summary>
    public async Task<long> WaitUntilBackfilled(string channelId, string? what = null) =>
        await Poll.Until(() => Scalar<long>("""
            select b.incident_id from backfills b where b.channel_id = @channelId and b.finished_at is not null
            """, new { channelId }), id => id > 0, TimeSpan.FromSeconds(30), what ?? $"the backfill of {channelId} to finish");

    public async Task<IReadOnlyList<string>> Timeline(long incidentId)
    {
        var reader = new TimelineReader(new Bot.Database.Db(Npgsql.NpgsqlDataSource.Create(ConnectionString), null!));
        return (await reader.Entries(incidentId, includeDeleted: true, CancellationToken.None)).Select(Describe).ToList();
    }

    /// <summary>Everything the backfill may write for an incident, as one comparable text.</summary>
    public async Task<string> Snapshot(long incidentId)
    {
        await using var c = await Db();
        var parts = new List<string>(await Timeline(incidentId));
        parts.AddRange(await c.QueryAsync<string>("""
            select 'reaction ' || slack_ts || ' ' || emoji || ' ' || user_id || ' ' || section || ' ' || coalesce(reacted_at::text, '') || ' ' || coalesce(removed_at::text, '')
            from timeline_reaction_marks where incident_id = @incidentId order by 1
            """, new { incidentId }));
        parts.AddRange(await c.QueryAsync<string>("""
            select 'pin ' || slack_ts || ' ' || coalesce(pinned_by, '') || ' ' || coalesce(pinned_at::text, '') || ' ' || coalesce(links::text, '')
            from timeline_pin_marks where incident_id = @incidentId order by 1
            """, new { incidentId }));
        parts.AddRange(await c.QueryAsync<string>(
            "select 'file ' || slack_ts || ' ' || file_id || ' ' || is_image from timeline_files where incident_id = @incidentId order by 1", new { incidentId }));
        parts.AddRange(await c.QueryAsync<string>(
            "select 'link ' || url || ' ' || coalesce(label, '') || ' ' || source from incident_links where incident_id = @incidentId order by 1", new { incidentId }));
        parts.AddRange(await c.QueryAsync<string>(
            "select 'member ' || user_id || ' ' || is_member from incident_members where incident_id = @incidentId order by 1", new { incidentId }));
        return string.Join("\n", parts);
    }

    public static string Describe(TimelineRow r) =>
        $"{r.Kind}|{r.SlackTs}|{r.ThreadTs}|{r.UserId}|{r.Text}|{(r.Edited ? "edited" : "")}|{(r.DeletedAt is null ? "" : "deleted")}|" +
        $"{(r.Pinned ? "pinned" : "")}|{string.Join(',', r.Sections)}|" +
        string.Join(' ', new[]
        {
            r.Images.Length > 0 ? "images=" + r.Images.Length : null,
            r.Files.Length > 0 ? "files=" + string.Join(',', r.Files) : null,
        }.Where(s => s is not null));

    /// <summary>Any slash command as Slack posts it (the base world's helper is /incident only).</summary>
    public async Task<CommandReply> SlashCommand(string command, string text, string user, string channelId, string teamId)
    {
        var responseUrl = Slack.ResponseUrl();
        var form = new Dictionary<string, string>
        {
            ["token"] = "deprecated", ["team_id"] = teamId, ["team_domain"] = "test", ["channel_id"] = channelId,
            ["channel_name"] = "x", ["user_id"] = user, ["user_name"] = user.ToLowerInvariant(), ["command"] = command,
            ["text"] = text, ["api_app_id"] = "A0TEST", ["response_url"] = responseUrl, ["trigger_id"] = Slack.NewTriggerId(),
        };
        var body = string.Join("&", form.Select(kv => $"{Uri.EscapeDataString(kv.Key)}={Uri.EscapeDataString(kv.Value)}"));
        using var response = await App.Http.SendAsync(App.Signed("/slack/commands", body, "application/x-www-form-urlencoded"));
        var content = await response.Content.ReadAsStringAsync();
        return new CommandReply((int)response.StatusCode, content.Length == 0 ? null : JsonNode.Parse(content), responseUrl);
    }

    /// <summary>The Markdown documents uploaded into the user's DM that mention <paramref name="containing"/>.</summary>
    public List<string> DocumentsInDm(string user, string containing)
    {
        var dm = Slack.Channels.FirstOrDefault(c => c.IsIm && c.ImUser == user)?.Id;
        if (dm is null) return [];
        return Slack.CallsTo("files.completeUploadExternal")
            .Where(c => c.Ok && c.Arg("channel_id") == dm)
            .SelectMany(c => c.JsonArg("files")!.AsArray().Select(f => f!["id"]!.ToString()))
            .Select(id => Slack.File(id) is { Name: var name, Content: { } bytes } && name.EndsWith(".md", StringComparison.Ordinal) ? Encoding.UTF8.GetString(bytes) : "")
            .Where(text => text.Contains(containing, StringComparison.Ordinal))
            .ToList();
    }
}
