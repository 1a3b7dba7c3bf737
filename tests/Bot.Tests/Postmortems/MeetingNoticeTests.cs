using Bot.Tests.Infrastructure;
using static Bot.Tests.Postmortems.PostmortemWorld;

namespace Bot.Tests.Postmortems;

/// <summary>Who is told what when attendees and times change: each person once, in the words that fit them.</summary>
public sealed class MeetingNoticeTests(PostmortemWorld world) : IClassFixture<PostmortemWorld>
{
    private const string NoLonger = "no longer invited";

    private Task Command(Incident incident, string text) =>
        world.Command(world.App, "/postmortem", text, Ada, incident.ChannelId, incident.Team);

    private int DmsWith(Incident incident, string user, string text) => world.Dms(user, incident.Title).Count(m => m.Text!.Contains(text));

    private int CancelFiles(Incident incident, string user) => world.IcsFiles(user, "METHOD:CANCEL").Count(t => t.Contains(incident.Title[^6..]));

    private async Task Until(Incident incident, string user, string text, int count) =>
        await Poll.Until(() => Task.FromResult(DmsWith(incident, user, text)), n => n >= count, TimeSpan.FromSeconds(30), $"{user}: {count}× \"{text}\"");

    [Fact]
    public async Task Uninvited_IsToldOnce_NotAgainOnRescheduleOrCancel()
    {
        var incident = await world.Resolved(world.App, world.ConnectionString, "Told once");
        await Command(incident, "schedule 2027-01-05 10:00");
        await Until(incident, Cat, "You're invited", 1);
        await NoticesDone(world.App, world.ConnectionString);
        await Command(incident, "uninvite <@U0CAT|cat>");
        await Until(incident, Cat, NoLonger, 1);

        await Command(incident, "reschedule 2027-01-06 10:00");
        await Until(incident, Bob, "Moved:", 1);
        await NoticesDone(world.App, world.ConnectionString);
        await Command(incident, "cancel");
        await Until(incident, Bob, "is cancelled", 1);
        await NoticesDone(world.App, world.ConnectionString);

        Assert.Equal(1, DmsWith(incident, Cat, NoLonger));
        Assert.Equal(0, DmsWith(incident, Cat, "is cancelled"));
        Assert.Equal(0, DmsWith(incident, Cat, "Moved"));
        Assert.Equal(1, CancelFiles(incident, Cat));
        Assert.Equal(1, CancelFiles(incident, Bob));
        Assert.Equal(0, DmsWith(incident, Bob, NoLonger));
    }

    [Fact]
    public async Task ReinvitedAndUninvitedAgain_IsInvitedAgain_AndToldAgainOnce()
    {
        var incident = await world.Resolved(world.App, world.ConnectionString, "Told twice");
        await Command(incident, "schedule 2027-01-05 10:00");
        await Until(incident, Cat, "You're invited", 1);
        await Command(incident, "uninvite <@U0CAT|cat>");
        await Until(incident, Cat, NoLonger, 1);
        await Command(incident, "invite <@U0CAT|cat>");
        // Their calendar entry was removed: they are invited again, with a new calendar file.
        await Until(incident, Cat, "You're invited", 2);
        await Command(incident, "uninvite <@U0CAT|cat>");
        await Until(incident, Cat, NoLonger, 2);
        await Command(incident, "reschedule 2027-01-06 10:00");
        await Until(incident, Bob, "Moved:", 1);
        await NoticesDone(world.App, world.ConnectionString);

        Assert.Equal(2, DmsWith(incident, Cat, "You're invited"));
        Assert.Equal(2, DmsWith(incident, Cat, NoLonger));
        Assert.Equal(0, DmsWith(incident, Cat, "Moved"));
        Assert.Equal(2, world.IcsFiles(Cat, "METHOD:REQUEST").Count(t => t.Contains(incident.Title[^6..])));
        Assert.Equal(2, CancelFiles(incident, Cat));
    }

    [Fact]
    public async Task LateInvitee_GetsAnInvitation_NotMoved()
    {
        var incident = await world.Resolved(world.App, world.ConnectionString, "Late invitee");
        await Command(incident, "uninvite <@U0CAT|cat>");
        await Command(incident, "schedule 2027-01-05 10:00");
        await Until(incident, Bob, "You're invited", 1);
        await Command(incident, "reschedule 2027-01-06 10:00");
        await Until(incident, Bob, "Moved:", 1);
        await Command(incident, "invite <@U0CAT|cat>");

        await Until(incident, Cat, "You're invited", 1);
        await NoticesDone(world.App, world.ConnectionString);
        var invite = Assert.Single(world.Dms(Cat, incident.Title));
        Assert.Contains("You're invited to the post-mortem", invite.Text);
        Assert.Contains("Wed 6 Jan 2027, 09:00 (Etc/UTC)", invite.Text);
        Assert.Equal(0, DmsWith(incident, Cat, NoLonger)); // never held an invite, so nothing to take back
    }

    [Fact]
    public async Task ScheduledAgainAfterCancel_IsANewInvitation_NotAMove()
    {
        var incident = await world.Resolved(world.App, world.ConnectionString, "After cancel");
        await Command(incident, "schedule 2027-01-05 10:00");
        await Until(incident, Bob, "You're invited", 1);
        await Command(incident, "cancel");
        await Until(incident, Bob, "is cancelled", 1);
        await Command(incident, "schedule 2027-01-07 10:00");

        await Until(incident, Bob, "You're invited", 2);
        await NoticesDone(world.App, world.ConnectionString);
        Assert.All(new[] { Ada, Bob, Cat }, u => Assert.Equal(0, DmsWith(incident, u, "Moved")));
        Assert.Contains("Thu 7 Jan 2027, 04:00 (America/New_York)", world.Dms(Bob, incident.Title).Last().Text);
    }

    [Fact]
    public async Task NewRoleHolder_OfASetMeeting_IsToldOnce_AndInvitedWhenTheyWereNot()
    {
        var incident = await world.Resolved(world.App, world.ConnectionString, "New notetaker");
        await Command(incident, "uninvite <@U0CAT|cat>");
        await Command(incident, "schedule 2027-01-05 10:00");
        await Until(incident, Bob, "You're invited", 1);

        var reply = await world.Command(world.App, "/postmortem", "notetaker <@U0CAT|cat>", Ada, incident.ChannelId, incident.Team);
        Assert.Contains("is the post-mortem notetaker", reply.Text);
        var again = await world.Command(world.App, "/postmortem", "notetaker <@U0CAT|cat>", Ada, incident.ChannelId, incident.Team);
        Assert.Contains("already the notetaker", again.Text);

        await Until(incident, Cat, "You're the notetaker", 1);
        await Until(incident, Cat, "You're invited", 1);
        await JobsDone(world.App, world.ConnectionString, "MeetingRoleJob");
        await NoticesDone(world.App, world.ConnectionString);
        var told = Assert.Single(world.Dms(Cat, incident.Title), m => m.Text!.Contains("You're the notetaker"));
        Assert.Contains("Tue 5 Jan 2027, 09:00 (Etc/UTC)", told.Text);
        Assert.Contains("Notetaker: <@U0CAT>", BlocksText(told));
        Assert.Equal(1, DmsWith(incident, Cat, "You're invited"));
        Assert.Equal(1, DmsWith(incident, Bob, "You're invited")); // the others are not sent their invite again
        Assert.Equal(0, DmsWith(incident, Bob, "You're the"));
    }
}
