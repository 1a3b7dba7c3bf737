using Bot.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using static Bot.Tests.Postmortems.PostmortemWorld;

namespace Bot.Tests.Postmortems;

/// <summary>Stakeholders configured per severity, as user ids or as a user group (e.g. the product managers).</summary>
public sealed class StakeholderTests(PostmortemWorld world) : IClassFixture<PostmortemWorld>
{
    [Fact]
    public async Task StakeholdersOfTheSeverity_UserAndUserGroupMembers_AreSuggested()
    {
        world.Slack.AddUser("U0PAM", "pam", "Pam Product", "pam");
        world.Slack.AddUser("U0DAN", "dan", "Dan Director", "dan");
        world.Slack.AddUser("U0SUE", "sue", "Sue Sev1", "sue");
        world.Slack.AddUserGroup("S0PRODUCT", "product", "Product managers", "U0PAM");
        var cs = await PostgresServer.Instance.CreateDatabase("stakeholders");
        // Incidents in the world are sev2: S0PRODUCT and U0DAN apply, U0SUE (sev1 only) does not.
        await using var app = await world.StartApp(cs, configure: b => b.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Bot:Postmortems:Stakeholders:sev2:0"] = "S0PRODUCT",
            ["Bot:Postmortems:Stakeholders:sev2:1"] = "U0DAN",
            ["Bot:Postmortems:Stakeholders:sev1:0"] = "U0SUE",
        }));

        var incident = await world.Resolved(app, cs, "Stakeholders");
        var list = await world.Command(app, "/postmortem", "attendees", Ada, incident.ChannelId, incident.Team);

        Assert.Contains("<@U0PAM> (stakeholder for sev2)", list.Text);
        Assert.Contains("<@U0DAN> (stakeholder for sev2)", list.Text);
        Assert.DoesNotContain("U0SUE", list.Text);
        Assert.DoesNotContain("S0PRODUCT", list.Text);
    }
}
