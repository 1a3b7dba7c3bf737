using Bot.Documents;
using Bot.Postmortems;
using Bot.Publishing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Bot.Tests.Publishing;

public sealed class PublishingUnitTests
{
    [Theory]
    [InlineData("publish", false)]
    [InlineData("PUBLISH", false)]
    [InlineData("publish --force", true)]
    [InlineData("publish —force", true)] // Slack and macOS turn "--" into an em dash
    [InlineData("publish -f", true)]
    public void Parser_ReadsPublish(string text, bool force) =>
        Assert.Equal(force, Assert.IsType<PostmortemRequest.Publish>(PostmortemCommandParser.Parse(text)).Force);

    [Fact]
    public void Parser_PublishWithSomethingElse_SaysUsage_AndHelpListsIt()
    {
        Assert.Contains("/postmortem publish [--force]", Assert.IsType<PostmortemRequest.Invalid>(PostmortemCommandParser.Parse("publish now")).Message);
        Assert.Contains("/postmortem publish [--force]", PostmortemCommandParser.HelpText);
    }

    private static IServiceProvider Services(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddPostmortems(configuration);
        services.AddPublishing(configuration);
        return services.BuildServiceProvider();
    }

    [Fact]
    public void BlamingPhrases_Unset_AreTheDefaults_AndAConfiguredList_ReplacesThem()
    {
        Assert.Equal(Readiness.DefaultBlamingPhrases, Services([]).GetRequiredService<IOptions<PublishingOptions>>().Value.Phrases);
        var configured = Services(new() { ["Bot:Publishing:BlamingPhrases:0"] = "oversight", ["Bot:Publishing:BlamingPhrases:1"] = "sloppy" });
        Assert.Equal(["oversight", "sloppy"], configured.GetRequiredService<IOptions<PublishingOptions>>().Value.Phrases);
    }

    [Fact]
    public void GoodSettings_HaveNoProblems()
    {
        var o = new PublishingOptions
        {
            AnnounceChannel = "C0123ABCD", MailingList = "a@example.com, Eng <eng@example.com>",
            Smtp = new SmtpSettings { Host = "smtp.example.com", From = "Bot <bot@example.com>", User = "bot", Password = "x" },
        };
        Assert.Empty(o.Problems());
        Assert.Empty(new PublishingOptions().Problems());
    }

    [Theory]
    [InlineData("AnnounceChannel", "#incidents", "Bot:Publishing:AnnounceChannel must be a channel id")]
    [InlineData("MailingList", "a@example.com, not-an-address", "Bot:Publishing:MailingList has \"not-an-address\"")]
    [InlineData("Smtp:Host", "", "Bot:Publishing:MailingList is set but Bot:Publishing:Smtp:Host is not.")]
    [InlineData("Smtp:From", "", "Bot:Publishing:MailingList is set but Bot:Publishing:Smtp:From is not.")]
    [InlineData("Smtp:Port", "0", "Bot:Publishing:Smtp:Port must be between 1 and 65535")]
    [InlineData("Smtp:Password", "", "Bot:Publishing:Smtp:User and Bot:Publishing:Smtp:Password go together")]
    public void BadSetting_FailsValidation_WithOneLineNamingIt(string key, string value, string expected)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Bot:Publishing:MailingList"] = "pm@example.com", ["Bot:Publishing:Smtp:Host"] = "smtp.example.com",
            ["Bot:Publishing:Smtp:From"] = "bot@example.com", ["Bot:Publishing:Smtp:User"] = "bot", ["Bot:Publishing:Smtp:Password"] = "pw-secret",
        };
        settings[$"Bot:Publishing:{key}"] = value;
        var e = Assert.Throws<OptionsValidationException>(() => Services(settings).GetRequiredService<IOptions<PublishingOptions>>().Value);
        var failure = Assert.Single(e.Failures);
        Assert.StartsWith(expected, failure);
        Assert.DoesNotContain("\n", failure);
        Assert.DoesNotContain("pw-secret", failure);
    }

    [Fact]
    public void RequiredSections_ThatAreNotSections_FailValidation()
    {
        var e = Assert.Throws<OptionsValidationException>(() =>
            Services(new() { ["Bot:Postmortems:RequiredSections:0"] = "symptom" }).GetRequiredService<IOptions<PostmortemOptions>>().Value);
        Assert.Contains("Bot:Postmortems:RequiredSections may only name sections", Assert.Single(e.Failures));
    }

    [Fact]
    public void SmtpSettings_ToString_LeavesThePasswordOut() =>
        Assert.DoesNotContain("pw-secret", new SmtpSettings { Host = "h", User = "u", Password = "pw-secret" }.ToString());
}
