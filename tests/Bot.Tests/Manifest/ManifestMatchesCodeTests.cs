using Bot.Hosting;
using Bot.Slack.Dispatch;
using Bot.Slack.Events;
using Bot.Slack.Parsing;
using Bot.Slack.Testing;
using Bot.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Tests.Manifest;

/// <summary>SlackAppDefinition (which slack-manifest.yml must match, see SlackManifestTests) against the
/// handlers the running app actually registered.</summary>
public sealed class ManifestMatchesCodeTests(PostgresFixture postgres) : AppOnFakeSlack(postgres)
{
    private SlackHandlerRegistry Registry => App.Services.GetRequiredService<SlackHandlerRegistry>();

    [Fact]
    public void SlashCommands_AreExactlyTheHandledOnes()
    {
        Assert.Equal(SlackAppDefinition.SlashCommands.Order(), Registry.SlashCommandKeys().Order());
    }

    [Fact]
    public void Shortcuts_AreExactlyTheHandledOnes()
    {
        Assert.Equal(SlackAppDefinition.MessageShortcuts.Order(), Registry.MessageShortcutKeys().Order());
        Assert.Empty(Registry.GlobalShortcutKeys());
    }

    [Fact]
    public void SubscribedEvents_AreExactlyTheHandledOnes()
    {
        // "message.channels" and "message.groups" both arrive as type "message".
        var subscribed = SlackAppDefinition.BotEvents.Select(e => SlackEventConverter.TypeFor(e.Split('.')[0])).ToHashSet();

        var handled = Registry.HandledEventTypes().Where(t => t != typeof(SlackEvent)).ToList();

        Assert.NotEmpty(handled);
        Assert.Equal(subscribed.OrderBy(t => t.Name), handled.Distinct().OrderBy(t => t.Name));
        Assert.DoesNotContain(typeof(UnknownEvent), subscribed);
    }
}
