using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bot.Slack.Blocks;
using Bot.Slack.Testing;

namespace Bot.Slack.Tests.Blocks;

/// <summary>The checkboxes element, and the fake refusing preselected options that are not among the options.</summary>
public class CheckboxesTests
{
    private static readonly SelectOption Private = new("Private", "private");

    [Fact]
    public void Checkboxes_SerializeInSlacksShape_WithoutInitialOptionsWhenNoneAreTicked()
    {
        var ticked = JsonNode.Parse(JsonSerializer.Serialize<BlockElement>(new CheckboxesElement("private", [Private]) { InitialOptions = [Private] }, SlackJson.Options))!;
        var unticked = JsonNode.Parse(JsonSerializer.Serialize<BlockElement>(new CheckboxesElement("private", [Private]), SlackJson.Options))!;

        Assert.Equal("checkboxes", (string?)ticked["type"]);
        Assert.Equal("private", (string?)ticked["action_id"]);
        Assert.Equal("private", (string?)ticked["options"]![0]!["value"]);
        Assert.Equal("private", (string?)ticked["initial_options"]![0]!["value"]);
        Assert.Null(unticked["initial_options"]);
    }

    [Fact]
    public async Task FakeSlack_RefusesAModalWhosePreselectedOptionIsNotAnOption()
    {
        await using var slack = await FakeSlack.StartAsync();
        using var http = new HttpClient();

        async Task<string?> Open(object element)
        {
            var view = new ModalView("New incident") { Submit = "Open", Blocks = [Block.Input("private", "Visibility", (BlockElement)element, optional: true)] };
            var body = new JsonObject
            {
                ["trigger_id"] = slack.NewTriggerId(),
                ["view"] = JsonNode.Parse(JsonSerializer.Serialize<View>(view, SlackJson.Options)),
            };
            using var request = new HttpRequestMessage(HttpMethod.Post, slack.ApiUrl + "views.open") { Content = JsonContent.Create(body) };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", slack.BotToken);
            using var response = await http.SendAsync(request);
            return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]?.GetValue<string>();
        }

        Assert.Null(await Open(new CheckboxesElement("private", [Private]) { InitialOptions = [Private] }));
        Assert.Equal("invalid_arguments", await Open(new CheckboxesElement("private", [Private]) { InitialOptions = [new SelectOption("Public", "public")] }));
        Assert.Equal("invalid_arguments", await Open(new StaticSelectElement("sev", [new SelectOption("SEV1", "sev1")]) { InitialOption = new SelectOption("SEV9", "sev9") }));
    }
}
