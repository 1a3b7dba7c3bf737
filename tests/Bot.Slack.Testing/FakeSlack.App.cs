namespace Bot.Slack.Testing;

// Drivers that play Slack towards the app under test.
public sealed partial class FakeSlack
{
    private readonly HttpClient _appHttp = new() { Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>Delivers to the app's HTTP endpoints (<paramref name="appBaseUrl"/> + /slack/...), signed with
    /// <paramref name="signingSecret"/> at the time <paramref name="time"/> says (use the app's clock when it is
    /// a FakeTimeProvider, or the app rejects the timestamp).</summary>
    public SlackAppDriver OverHttp(string appBaseUrl, string signingSecret, TimeProvider? time = null) =>
        new(this, new Uri(appBaseUrl), signingSecret, _appHttp, time ?? _time);

    /// <summary>Delivers as Socket Mode envelopes over the connection the app opened (wait for it with
    /// <see cref="WaitForSocketConnection"/>); replies are the app's acks.</summary>
    public SlackAppDriver OverSocketMode() => new(this, null, null, null, _time);
}
