namespace Bot.Slack.Blocks;

/// <summary>A Block Kit block. Concrete blocks and their builders live beside this file;
/// serialization writes the runtime type's properties (SlackJson.Options) with "type" first.</summary>
public abstract record Block
{
    public abstract string Type { get; }
    public string? BlockId { get; init; }
}

/// <summary>A modal or Home tab view.</summary>
public abstract record View
{
    public abstract string Type { get; }
    public IReadOnlyList<Block> Blocks { get; init; } = [];
    public string? CallbackId { get; init; }
    public string? PrivateMetadata { get; init; }
    public string? ExternalId { get; init; }
}
