using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Bot.Hosting;
using Bot.Tests.Manifest;

namespace Bot.Tests.Deploy;

/// <summary>deploy/ cannot be built or applied on the test machine (no Docker daemon, no cluster), so its files are
/// parsed and their load-bearing fields checked: what a typo would silently break in production.</summary>
public sealed class DeployFilesTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Deploy");

    private static IReadOnlyList<JsonNode> K8s() =>
        Directory.GetFiles(Path.Combine(Folder, "k8s"), "*.yaml").Order(StringComparer.Ordinal)
            .SelectMany(f => YamlToJson.ConvertAll(File.ReadAllText(f))).ToList();

    private static JsonNode Kind(string kind) => Assert.Single(K8s(), d => d["kind"]?.GetValue<string>() == kind);

    private static JsonNode Compose() => YamlToJson.Convert(File.ReadAllText(Path.Combine(Folder, "docker-compose.yml")));

    private static string Dockerfile() => File.ReadAllText(Path.Combine(Folder, "Dockerfile"));

    [Fact]
    public void EveryYamlFile_Parses_AndEveryManifestHasKindAndName()
    {
        var files = Directory.GetFiles(Folder, "*.y*ml", SearchOption.AllDirectories);
        Assert.True(files.Length >= 5, string.Join(", ", files));
        foreach (var file in files) Assert.NotEmpty(YamlToJson.ConvertAll(File.ReadAllText(file)));
        foreach (var doc in K8s())
        {
            Assert.False(string.IsNullOrEmpty(doc["apiVersion"]?.GetValue<string>()), doc.ToJsonString());
            Assert.False(string.IsNullOrEmpty(doc["metadata"]?["name"]?.GetValue<string>()), doc.ToJsonString());
        }
    }

    [Fact]
    public void Deployment_RunsTwoNonRootReplicas_ProbedOnTheAppsPort()
    {
        var deployment = Kind("Deployment");
        Assert.Equal("apps/v1", deployment["apiVersion"]!.GetValue<string>());
        Assert.Equal(2, deployment["spec"]!["replicas"]!.GetValue<long>());
        var labels = deployment["spec"]!["template"]!["metadata"]!["labels"]!.AsObject();
        foreach (var (key, value) in deployment["spec"]!["selector"]!["matchLabels"]!.AsObject())
            Assert.Equal(value!.GetValue<string>(), labels[key]?.GetValue<string>());

        var container = Assert.Single(deployment["spec"]!["template"]!["spec"]!["containers"]!.AsArray())!;
        var port = Assert.Single(container["ports"]!.AsArray())!;
        Assert.Equal(AppPort(), port["containerPort"]!.GetValue<long>());
        var portName = port["name"]!.GetValue<string>();
        Assert.Equal("/readyz", container["readinessProbe"]!["httpGet"]!["path"]!.GetValue<string>());
        Assert.Equal("/healthz", container["livenessProbe"]!["httpGet"]!["path"]!.GetValue<string>());
        Assert.Equal(portName, container["readinessProbe"]!["httpGet"]!["port"]!.GetValue<string>());
        Assert.Equal(portName, container["livenessProbe"]!["httpGet"]!["port"]!.GetValue<string>());

        Assert.True(container["securityContext"]!["runAsNonRoot"]!.GetValue<bool>());
        Assert.NotEqual(0, container["securityContext"]!["runAsUser"]!.GetValue<long>());
        Assert.Equal(DockerUser(), container["securityContext"]!["runAsUser"]!.GetValue<long>().ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.NotNull(container["resources"]!["requests"]!["memory"]);
        Assert.NotNull(container["resources"]!["limits"]!["memory"]);

        // Settings come from the Secret, whose name must match.
        var secretName = Assert.Single(container["envFrom"]!.AsArray())!["secretRef"]!["name"]!.GetValue<string>();
        Assert.Equal(secretName, Kind("Secret")["metadata"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public void DisruptionBudget_KeepsOneReplica_OfTheDeploymentsPods()
    {
        var pdb = Kind("PodDisruptionBudget");
        Assert.Equal("policy/v1", pdb["apiVersion"]!.GetValue<string>());
        Assert.Equal(1, pdb["spec"]!["minAvailable"]!.GetValue<long>());
        var podLabels = Kind("Deployment")["spec"]!["template"]!["metadata"]!["labels"]!.AsObject();
        var selector = pdb["spec"]!["selector"]!["matchLabels"]!.AsObject();
        Assert.NotEmpty(selector);
        foreach (var (key, value) in selector) Assert.Equal(value!.GetValue<string>(), podLabels[key]?.GetValue<string>());

        var service = Kind("Service");
        foreach (var (key, value) in service["spec"]!["selector"]!.AsObject()) Assert.Equal(value!.GetValue<string>(), podLabels[key]?.GetValue<string>());
    }

    [Fact]
    public void SecretExample_HoldsNoRealValues()
    {
        foreach (var (key, value) in Kind("Secret")["stringData"]!.AsObject())
        {
            var text = value?.GetValue<string>() ?? "";
            Assert.True(text.Length == 0 || text.Contains("...") || text.Contains("password"), $"{key} looks like a real value: {text}");
        }
    }

    [Fact]
    public void Compose_HasHealthchecks_AVolume_AndTheBotWaitsForAHealthyDatabase()
    {
        var services = Compose()["services"]!;
        Assert.Contains("pg_isready", services["postgres"]!["healthcheck"]!["test"]!.ToJsonString());
        var volume = Assert.Single(services["postgres"]!["volumes"]!.AsArray())!.GetValue<string>();
        Assert.EndsWith(":/var/lib/postgresql/data", volume);
        Assert.True(Compose()["volumes"]!.AsObject().ContainsKey(volume.Split(':')[0]));

        var bot = services["bot"]!;
        Assert.Equal("service_healthy", bot["depends_on"]!["postgres"]!["condition"]!.GetValue<string>());
        var test = bot["healthcheck"]!["test"]!.AsArray().Select(n => n!.GetValue<string>()).ToList();
        Assert.Equal(["CMD", "dotnet", "Bot.dll", HealthCheckCommand.Name], test.Take(4));
        Assert.EndsWith(":" + AppPort() + "/healthz", test[^1]);
    }

    [Fact]
    public void Dockerfile_RunsAsANonRootUser_WithAHealthcheckOnHealthz()
    {
        var user = DockerUser();
        Assert.NotEqual("root", user);
        Assert.NotEqual("0", user);
        var healthcheck = Assert.Single(Regex.Matches(Dockerfile(), @"^HEALTHCHECK (?:[^\n]*\\\n)*[^\n]*", RegexOptions.Multiline)).Value;
        Assert.Contains($"\"{HealthCheckCommand.Name}\"", healthcheck);
        Assert.Contains($":{AppPort()}/healthz", healthcheck);
        // Time zones for reminders and the chase; fonts for the stats chart's labels.
        Assert.Matches(@"apt-get install [^\n]*tzdata", Dockerfile());
        Assert.Matches(@"apt-get install [^\n]*fonts-dejavu-core", Dockerfile());
        // Multi-stage: the SDK builds, the smaller ASP.NET runtime runs.
        Assert.Equal(2, Regex.Matches(Dockerfile(), @"^FROM ", RegexOptions.Multiline).Count);
    }

    /// <summary>The last USER of the Dockerfile (the runtime stage's).</summary>
    private static string DockerUser() =>
        Regex.Matches(Dockerfile(), @"^USER\s+(\S+)", RegexOptions.Multiline).Last().Groups[1].Value;

    /// <summary>The port the image's ASPNETCORE_URLS listens on.</summary>
    private static long AppPort() =>
        long.Parse(Regex.Match(Dockerfile(), @"ASPNETCORE_URLS=http://\+:(\d+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
}
