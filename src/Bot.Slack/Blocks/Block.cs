using System.Text.Json.Serialization;

namespace Bot.Slack.Blocks;

/// <summary>A Block Kit block. Concrete blocks and their builders live beside this file;
/// serialization writes the runtime type's properties (SlackJson.Options) with "type" first.</summary>
[JsonConverter(typeof(RuntimeTypeConverter<Block>))]
public abstract partial record Block
{
    public abstract string Type { get; }

    /// <summary>At most 255 characters; longer throws (an id cut short would route nowhere).</summary>
    public string? BlockId { get; init => field = SlackLimits.Id(value, SlackLimits.BlockId, nameof(BlockId)); }
}

/// <summary>A modal or Home tab view. Blocks past Slack's 100 are cut, the last kept one saying how many more there were.</summary>
[JsonConverter(typeof(RuntimeTypeConverter<View>))]
public abstract record View
{
    public abstract string Type { get; }

    public IReadOnlyList<Block> Blocks { get; init => field = BlockLimits.Cap(value, SlackLimits.BlocksPerView); } = [];

    public string? CallbackId { get; init => field = SlackLimits.Id(value, SlackLimits.CallbackId, nameof(CallbackId)); }

    /// <summary>At most 3000 characters. Longer throws rather than being cut: cut state would be silently wrong.</summary>
    public string? PrivateMetadata { get; init => field = SlackLimits.Id(value, SlackLimits.PrivateMetadata, nameof(PrivateMetadata)); }

    public string? ExternalId { get; init => field = SlackLimits.Id(value, SlackLimits.ExternalId, nameof(ExternalId)); }
}
