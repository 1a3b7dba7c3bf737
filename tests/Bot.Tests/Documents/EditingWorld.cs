using System.Text.Json.Nodes;
using Bot.Documents;
using Bot.Slack.Testing;
using Bot.Tests.Infrastructure;
using Bot.Tests.Postmortems;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Tests.Documents;

/// <summary>What the editing tests do through Slack's real paths: commands and interactions over signed HTTP (with
/// trigger_ids and response_urls from the fake), messages and reactions as events, views as the fake holds them.</summary>
public static class EditingWorld
{
    public static SlackAppDriver Driver(this PostmortemWorld world) => world.Slack.OverHttp(world.App.BaseAddress.ToString(), BotApp.SigningSecret);

    public static async Task<AppReply> Postmortem(this PostmortemWorld world, PostmortemWorld.Incident incident, string text, string user = PostmortemWorld.Ada)
    {
        var reply = await world.Driver().SlashCommand("/postmortem", text, user, incident.ChannelId);
        Assert.Equal(200, reply.HttpStatus);
        return reply;
    }

    /// <summary>A person posts in the incident channel and someone marks it with <paramref name="reaction"/>; waits for the capture.</summary>
    public static async Task Marked(this PostmortemWorld world, PostmortemWorld.Incident incident, string user, string text, string reaction)
    {
        var before = await Reactions(incident);
        var ts = $"{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}.{Random.Shared.Next(100000, 999999)}";
        await world.Event(world.App, new { type = "message", channel = incident.ChannelId, channel_type = "channel", user, text, ts, event_ts = ts });
        await world.Event(world.App, new
        {
            type = "reaction_added", user = PostmortemWorld.Cat, reaction, item_user = user, event_ts = ts + "1",
            item = new { type = "message", channel = incident.ChannelId, ts },
        });
        await Poll.Until(() => Reactions(incident), n => n == before + 1, what: $"the :{reaction}: on \"{text}\"");
    }

    private static Task<long> Reactions(PostmortemWorld.Incident incident) =>
        PostmortemWorld.Scalar<long>(incident.Connection, "select count(*) from timeline_reactions where incident_id = @Id", new { incident.Id });

    /// <summary>The newest modal the bot opened with <paramref name="callbackId"/> for this incident (metadata starts with its id).</summary>
    public static Task<FakeView> Modal(this PostmortemWorld world, PostmortemWorld.Incident incident, string callbackId, Func<FakeView, bool>? where = null) =>
        Poll.Until(() => Task.FromResult(world.Slack.Views.LastOrDefault(v => v.Definition["callback_id"]?.ToString() == callbackId
                && (v.Definition["private_metadata"]?.ToString() ?? "").Split('|', ':')[0] == incident.Id.ToString()
                && (where?.Invoke(v) ?? true))),
            v => v is not null, TimeSpan.FromSeconds(20), $"the {callbackId} modal")!;

    /// <summary>JSON text with &amp;, &lt; and &gt; left readable (System.Text.Json escapes them by default).</summary>
    public static string Json(JsonNode? node) =>
        node?.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) ?? "";

    public static JsonArray Blocks(FakeView view) => view.Definition["blocks"]!.AsArray();

    /// <summary>The text boxes of a section modal, in order: block_id → initial value.</summary>
    public static List<(string BlockId, string? Initial)> Boxes(FakeView view) =>
        Blocks(view).Where(b => b!["type"]!.ToString() == "input")
            .Select(b => (b!["block_id"]!.ToString(), b["element"]!["initial_value"]?.ToString())).ToList();

    /// <summary>view.state.values for a section modal whose boxes hold <paramref name="texts"/>.</summary>
    public static JsonObject BoxValues(params string?[] texts)
    {
        var values = new JsonObject();
        for (var i = 0; i < texts.Length; i++)
            values[$"text_{i}"] = new JsonObject { ["text"] = new JsonObject { ["type"] = "plain_text_input", ["value"] = texts[i] } };
        return values;
    }

    public static JsonObject AnswerValue(string text) =>
        new() { ["answer"] = new JsonObject { ["answer"] = new JsonObject { ["type"] = "plain_text_input", ["value"] = text } } };

    /// <summary>Someone clicks a button in a message the bot sent as a command reply (Slack posts in_channel replies
    /// as messages; the fake keeps only what the app posted itself, so the message is the reply's blocks).</summary>
    public static Task<AppReply> ClickInReply(this PostmortemWorld world, PostmortemWorld.Incident incident, string user, JsonNode? replyBlocks,
        string actionId, string value)
    {
        var ts = $"{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}.{Random.Shared.Next(100000, 999999)}";
        return world.Driver().Interaction(new JsonObject
        {
            ["type"] = "block_actions",
            ["team"] = new JsonObject { ["id"] = incident.Team },
            ["container"] = new JsonObject { ["type"] = "message", ["message_ts"] = ts, ["channel_id"] = incident.ChannelId, ["is_ephemeral"] = false },
            ["channel"] = new JsonObject { ["id"] = incident.ChannelId },
            ["message"] = new JsonObject { ["type"] = "message", ["ts"] = ts, ["blocks"] = replyBlocks?.DeepClone() },
            ["actions"] = new JsonArray(new JsonObject { ["type"] = "button", ["action_id"] = actionId, ["block_id"] = "b", ["value"] = value, ["action_ts"] = ts }),
        }, user);
    }

    public static async Task<PostmortemDocument> Document(this PostmortemWorld world, PostmortemWorld.Incident incident)
    {
        using var scope = world.App.Services.CreateScope();
        return (await scope.ServiceProvider.GetRequiredService<DocumentBuilder>().Build(incident.Id, null, default))!;
    }
}
