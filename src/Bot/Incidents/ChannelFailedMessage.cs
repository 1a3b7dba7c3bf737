using System.Globalization;
using Bot.Slack.Blocks;

namespace Bot.Incidents;

/// <summary>What the reporter reads when the channel could not be opened: a plain sentence, Slack's error code,
/// and the Retry / Cancel buttons (ChannelFailedButtons). Never a stack trace.</summary>
public static class ChannelFailedMessage
{
    public const string RetryAction = "incident_channel_retry";
    public const string CancelAction = "incident_channel_cancel";

    public static string Text(Incident i) =>
        $":warning: I could not open the channel for incident #{i.Number} ({Mrkdwn.Escape(i.Title)}): {Explain(i.ChannelError)} " +
        $"(Slack said `{Mrkdwn.Escape(i.ChannelError ?? "unknown_error")}`). Once that is sorted out, press *Retry* and I carry on " +
        "where I stopped, or *Cancel* the incident.";

    public static IReadOnlyList<Block> Blocks(Incident i)
    {
        var id = i.Id.ToString(CultureInfo.InvariantCulture);
        return
        [
            Block.Section(Text(i)),
            Block.Actions(
                new ButtonElement(RetryAction, "Retry") { Value = id, Style = ButtonStyle.Primary },
                new ButtonElement(CancelAction, "Cancel the incident") { Value = id, Style = ButtonStyle.Danger }),
        ];
    }

    /// <summary>The codes a workspace admin or operator can act on, in words; the rest get a general sentence.</summary>
    public static string Explain(string? error) => error switch
    {
        "restricted_action" => "this workspace does not let the bot do that (an admin setting limits who may create channels or post in them)",
        "missing_scope" => "the app lacks a permission it needs; reinstall it from slack-manifest.yml",
        "invalid_auth" or "not_authed" or "token_revoked" or "token_expired" or "account_inactive" => "the bot's Slack token does not work any more",
        "name_taken" => "every channel name I tried was taken",
        "invalid_name_specials" or "invalid_name" or "invalid_name_maxlength" => "Slack refused the channel name",
        "is_archived" => "the channel was archived",
        "channel_not_found" => "Slack could not find the channel",
        "team_access_not_granted" or "no_permission" or "access_denied" => "the bot is not allowed to do that in this workspace",
        "ratelimited" => "Slack kept asking me to slow down",
        { } e when e.StartsWith("http_", StringComparison.Ordinal) || e is "network_error" or "timeout" or "internal_error" or "fatal_error" or "service_unavailable" =>
            "Slack did not answer, even after several tries",
        _ => "Slack refused one of the steps",
    };
}
