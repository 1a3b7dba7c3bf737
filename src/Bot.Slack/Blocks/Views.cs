namespace Bot.Slack.Blocks;

/// <summary>A modal. Title, submit and close are at most 24 characters (cut with "…").</summary>
public sealed record ModalView : View
{
    public ModalView(string title) => Title = title;

    public override string Type => "modal";
    public PlainText Title { get; init => field = value.Truncate(SlackLimits.ModalTitle); }
    public PlainText? Submit { get; init => field = value?.Truncate(SlackLimits.ModalButton); }
    public PlainText? Close { get; init => field = value?.Truncate(SlackLimits.ModalButton); }
    /// <summary>True: Slack sends view_closed when the user dismisses the modal.</summary>
    public bool? NotifyOnClose { get; init; }
    public bool? ClearOnClose { get; init; }
}

/// <summary>The app's Home tab, published with views.publish.</summary>
public sealed record HomeView : View
{
    public override string Type => "home";
}
