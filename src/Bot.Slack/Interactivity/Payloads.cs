using System.Text.Json;
using System.Text.Json.Serialization;

namespace Bot.Slack.Interactivity;

/// <summary>A slash command, from the form fields Slack posts (or the Socket Mode payload).</summary>
public sealed class SlashCommand
{
    public string Command { get; set; } = "";
    public string Text { get; set; } = "";
    public string? TeamId { get; set; }
    public string? TeamDomain { get; set; }
    public string? EnterpriseId { get; set; }
    public string? ChannelId { get; set; }
    public string? ChannelName { get; set; }
    public string? UserId { get; set; }
    public string? UserName { get; set; }
    public string? ResponseUrl { get; set; }
    public string? TriggerId { get; set; }
    public string? ApiAppId { get; set; }
    public bool IsEnterpriseInstall { get; set; }
}

public sealed class IdName
{
    public string? Id { get; set; }
    public string? Name { get; set; }
    public string? Username { get; set; }
    public string? TeamId { get; set; }
    public string? Domain { get; set; }
}

/// <summary>Fields every interactivity payload shares. Read polymorphically by "type"
/// (<see cref="Parsing.InteractionPayloadConverter"/>).</summary>
[JsonConverter(typeof(Parsing.InteractionPayloadConverter))]
public abstract class InteractionPayload
{
    public string Type { get; set; } = "";
    public IdName? Team { get; set; }
    public IdName? User { get; set; }
    public string? ApiAppId { get; set; }
    public string? Token { get; set; }
    public string? TriggerId { get; set; }
    public bool IsEnterpriseInstall { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}

public sealed class UnknownInteraction : InteractionPayload { }

public sealed class BlockAction
{
    public string? Type { get; set; }
    public string ActionId { get; set; } = "";
    public string? BlockId { get; set; }
    public string? Value { get; set; }
    public string? ActionTs { get; set; }
    public JsonElement? Text { get; set; }
    public OptionValue? SelectedOption { get; set; }
    /// <summary>checkboxes and multi-selects: what is ticked (empty when nothing is).</summary>
    public List<OptionValue>? SelectedOptions { get; set; }
    public string? SelectedUser { get; set; }
    public List<string>? SelectedUsers { get; set; }
    public string? SelectedDate { get; set; }
    public string? SelectedTime { get; set; }
    public string? SelectedChannel { get; set; }
    public string? SelectedConversation { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}

public sealed class OptionValue
{
    public JsonElement? Text { get; set; }
    public string? Value { get; set; }
}

public sealed class PayloadContainer
{
    public string? Type { get; set; }
    public string? MessageTs { get; set; }
    public string? ChannelId { get; set; }
    public string? ViewId { get; set; }
    public bool? IsEphemeral { get; set; }
    public string? ThreadTs { get; set; }
}

public sealed class BlockActionsPayload : InteractionPayload
{
    public List<BlockAction> Actions { get; set; } = [];
    public IdName? Channel { get; set; }
    public PayloadContainer? Container { get; set; }
    public JsonElement? Message { get; set; }
    public ViewPayload? View { get; set; }
    public string? ResponseUrl { get; set; }
}

/// <summary>A view as Slack sends it back: ids, metadata and the submitted state.</summary>
public sealed class ViewPayload
{
    public string? Id { get; set; }
    public string? TeamId { get; set; }
    public string? Type { get; set; }
    public string? CallbackId { get; set; }
    public string? PrivateMetadata { get; set; }
    public string? Hash { get; set; }
    public string? ExternalId { get; set; }
    public string? RootViewId { get; set; }
    public string? PreviousViewId { get; set; }
    public JsonElement? Blocks { get; set; }
    public ViewState? State { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>state.values: block_id → action_id → the element's value.</summary>
public sealed class ViewState
{
    public Dictionary<string, Dictionary<string, BlockAction>> Values { get; set; } = new();
}

public sealed class ViewSubmissionPayload : InteractionPayload
{
    public ViewPayload View { get; set; } = new();
    public List<JsonElement>? ResponseUrls { get; set; }
}

public sealed class ViewClosedPayload : InteractionPayload
{
    public ViewPayload View { get; set; } = new();
    public bool IsCleared { get; set; }
}

/// <summary>A message shortcut ("message_action"): the message it was used on, and where.</summary>
public sealed class MessageShortcutPayload : InteractionPayload
{
    public string CallbackId { get; set; } = "";
    public string? MessageTs { get; set; }
    public string? ActionTs { get; set; }
    public IdName? Channel { get; set; }
    public Bot.Slack.Events.MessageEvent? Message { get; set; }
    public string? ResponseUrl { get; set; }
}

/// <summary>A global shortcut ("shortcut").</summary>
public sealed class GlobalShortcutPayload : InteractionPayload
{
    public string CallbackId { get; set; } = "";
    public string? ActionTs { get; set; }
}
