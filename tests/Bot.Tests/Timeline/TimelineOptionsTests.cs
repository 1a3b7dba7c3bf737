using Bot.Timeline;
using Microsoft.Extensions.Configuration;

namespace Bot.Tests.Timeline;

public class TimelineOptionsTests
{
    [Fact]
    public void EmojiLegend_FromConfiguration_AddsOverridesAndSwitchesOff()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Bot:Timeline:EmojiLegend:fire"] = Sections.Symptoms,
            ["Bot:Timeline:EmojiLegend:eyes"] = "",
            ["Bot:Timeline:EmojiLegend:bulb"] = Sections.Questions,
        }).Build();

        var options = configuration.GetSection("Bot:Timeline").Get<TimelineOptions>()!;
        var legend = new EmojiLegend(options.EmojiLegend);

        Assert.Equal(Sections.Symptoms, legend.SectionFor("fire"));
        Assert.Null(legend.SectionFor("eyes"));
        Assert.Equal(Sections.Questions, legend.SectionFor("bulb"));
        Assert.Equal(Sections.Remediation, legend.SectionFor("wrench"));
    }
}
