namespace Bot.Slack.Testing;

/// <summary>Placeholder: the fake Slack Web API server is built in its own change.</summary>
internal static class FakeSlackPlaceholder { }
