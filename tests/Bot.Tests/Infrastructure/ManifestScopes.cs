using YamlDotNet.RepresentationModel;

namespace Bot.Tests.Infrastructure;

/// <summary>The bot scopes slack-manifest.yml asks for: what the installed app's token can do. The bot's tests give
/// them to the fake Slack, so a call the manifest does not cover fails here as it would in a real workspace.</summary>
public static class ManifestScopes
{
    private static readonly Lazy<IReadOnlyList<string>> Scopes = new(Read);

    public static IReadOnlyList<string> Bot => Scopes.Value;

    private static IReadOnlyList<string> Read()
    {
        var yaml = new YamlStream();
        using (var reader = File.OpenText(Path.Combine(AppContext.BaseDirectory, "Manifest", "slack-manifest.yml")))
            yaml.Load(reader);
        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        var bot = (YamlSequenceNode)root["oauth_config"]["scopes"]["bot"];
        return [.. bot.Children.Select(n => ((YamlScalarNode)n).Value!)];
    }
}
