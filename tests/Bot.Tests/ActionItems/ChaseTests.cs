using Bot.ActionItems;
using Bot.ActionItems.Chasing;
using Bot.Slack.Testing;
using Bot.Tests.Infrastructure;
using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.DependencyInjection;
using static Bot.Tests.ActionItems.ActionItemsWorld;

namespace Bot.Tests.ActionItems;

/// <summary>The daily chase through real Hangfire.PostgreSql and the fake Slack, on the app's fake clock.</summary>
public sealed class ChaseTests(ActionItemsWorld world) : IClassFixture<ActionItemsWorld>
{
    [Fact]
    public async Task OneDmPerOwner_ListingAllTheirItems_AtTheirOwnLocalChaseTime_InTwoZones()
    {
        var berlin = world.NewOwner("Europe/Berlin");
        var newYork = world.NewOwner("America/New_York");
        var monday = world.Next(DayOfWeek.Monday);
        world.At(monday.AddHours(6));
        await world.Add($"Berlin one {Mention(berlin)} due tomorrow");
        await world.Add($"Berlin two {Mention(berlin)} due today");
        await world.Add($"Berlin later {Mention(berlin)} in 9 days");
        await world.Add($"New York one {Mention(newYork)} due tomorrow");

        // 09:29 in Berlin: nobody yet.
        world.At(monday.AddHours(8).AddMinutes(29));
        await world.ChaseRun();
        await world.SettleChases();
        Assert.Empty(world.Chases(berlin));

        // 09:31 in Berlin, 03:31 in New York.
        world.At(monday.AddHours(8).AddMinutes(31));
        await world.ChaseRun();
        var dm = await world.WaitForChase(berlin);
        Assert.Contains("2 action items of yours are due soon", dm.Text);
        var blocks = BlocksText(dm);
        Assert.Contains("Berlin one", blocks);
        Assert.Contains("Berlin two", blocks);
        Assert.DoesNotContain("Berlin later", blocks); // due in 9 days: not yet
        foreach (var action in new[] { ActionItemBlocks.Done, ActionItemBlocks.SnoozeDay, ActionItemBlocks.SnoozeWeek, ActionItemBlocks.WontDo, ActionItemBlocks.Reassign })
            Assert.Contains(action, blocks);
        Assert.Contains($"<#{world.Incident.ChannelId}>", blocks);
        await world.SettleChases();
        Assert.Empty(world.Chases(newYork));

        // 09:31 in New York; Berlin is not chased a second time that day, however often the run goes.
        world.At(monday.AddHours(14).AddMinutes(31));
        await world.ChaseRun();
        await world.ChaseRun();
        Assert.Contains("New York one", BlocksText(await world.WaitForChase(newYork)));
        await world.SettleChases();
        Assert.Single(world.Chases(berlin));
        Assert.Single(world.Chases(newYork));

        // Tuesday morning in Berlin: the next day's DM, once.
        world.At(monday.AddDays(1).AddHours(8).AddMinutes(40));
        await world.ChaseRun();
        var tuesday = await world.WaitForChase(berlin, 2);
        Assert.Contains("overdue", BlocksText(tuesday));
        await world.SettleChases();
        Assert.Equal(2, world.Chases(berlin).Count);
    }

    [Fact]
    public async Task NoChase_OnWeekends_NorForItemsWithoutDueDateOrOwner()
    {
        var owner = world.NewOwner("Etc/UTC");
        var saturday = world.Next(DayOfWeek.Saturday);
        world.At(saturday.AddHours(7));
        await world.Add($"Weekend work {Mention(owner)} due today");
        await world.Add($"Someday {Mention(owner)}");
        world.At(saturday.AddHours(12));
        await world.ChaseRun();
        world.At(saturday.AddDays(1).AddHours(12));
        await world.ChaseRun();
        await world.SettleChases();
        Assert.Empty(world.Chases(owner));

        world.At(saturday.AddDays(2).AddHours(9).AddMinutes(31));
        await world.ChaseRun();
        var dm = await world.WaitForChase(owner);
        Assert.Contains("Weekend work", BlocksText(dm));
        Assert.DoesNotContain("Someday", BlocksText(dm));
    }

    [Fact]
    public async Task TwoInstances_RunningTheChaseAtOnce_SendOneDm()
    {
        var owner = world.NewOwner("Europe/Berlin");
        var tuesday = world.Next(DayOfWeek.Tuesday);
        world.At(tuesday.AddHours(6));
        await world.Quiet();
        await world.Add($"Twice guarded {Mention(owner)} due tomorrow");
        await using var second = await world.StartApp(world.App.HangfireSchema);

        world.At(tuesday.AddHours(8).AddMinutes(45));
        var runs = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => world.ChaseRun(i % 2 == 0 ? world.App : second)));
        Assert.Equal(1, runs.Sum());
        await world.WaitForChase(owner);
        // The owner's job run again, on either instance, as Hangfire may: nothing more.
        foreach (var app in new[] { world.App, second })
        {
            using var scope = app.Services.CreateScope();
            await scope.ServiceProvider.GetRequiredService<ChaseOwnerJob>().Run(owner, (tuesday.UtcDateTime).ToString("yyyy-MM-dd"), default);
        }
        await world.SettleChases();
        Assert.Single(world.Chases(owner));
    }

    [Fact]
    public async Task SlackFailingMidRun_TheOthersAreSent_AndTheFailedOneOnceOnRetry()
    {
        var owners = Enumerable.Range(0, 3).Select(_ => world.NewOwner("Etc/UTC")).ToList();
        var wednesday = world.Next(DayOfWeek.Wednesday);
        world.At(wednesday.AddHours(6));
        await world.Quiet();
        foreach (var o in owners) await world.Add($"Retry me {Mention(o)} due today");
        await world.SettleChases();

        world.Slack.FailNext("chat.postMessage", Failure.Error("fatal_error"));
        world.At(wednesday.AddHours(9).AddMinutes(35));
        Assert.Equal(3, await world.ChaseRun());
        await Poll.Until(() => Task.FromResult(owners.Count(o => world.Chases(o).Count == 1)), n => n == 2, TimeSpan.FromSeconds(30), "two of three DMs");
        var failed = owners.Single(o => world.Chases(o).Count == 0);
        Assert.Null(await Scalar<DateTime?>(world.ConnectionString,
            "select claimed_at from action_item_chases where owner_id = @failed", new { failed })); // the claim was given back

        // Hangfire's retry (run here at once rather than after its delay), and the run again: one DM each.
        using (var scope = world.App.Services.CreateScope())
            await scope.ServiceProvider.GetRequiredService<ChaseOwnerJob>().Run(failed, wednesday.UtcDateTime.ToString("yyyy-MM-dd"), default);
        Assert.Equal(0, await world.ChaseRun());
        await world.SettleChases();
        Assert.All(owners, o => Assert.Single(world.Chases(o)));
    }

    [Fact]
    public async Task Escalation_AfterThreeChasesOfAnOverdueItem_TellsThePointPersonOnce()
    {
        var owner = world.NewOwner("Etc/UTC");
        var monday = world.Next(DayOfWeek.Monday);
        world.At(monday.AddHours(6));
        var id = await world.Add($"Escalate me {Mention(owner)} due today");
        string Escalations() => string.Join("\n", world.Dms(Ada, "is overdue").Select(BlocksText).Where(b => b.Contains("Escalate me")));

        for (var day = 1; day <= 4; day++)
        {
            world.At(monday.AddDays(day).AddHours(10));
            await world.ChaseRun();
            await world.WaitForChase(owner, day);
            await world.SettleChases();
            if (day < 3) Assert.Equal("", Escalations());
        }
        var told = await Poll.Until(() => Task.FromResult(world.Dms(Ada, "is overdue").Where(m => BlocksText(m).Contains("Escalate me")).ToList()),
            l => l.Count == 1, TimeSpan.FromSeconds(30), "the point person's notice");
        Assert.Contains("reminded 3 times", told[0].Text);
        Assert.Contains($"<@{owner}>", told[0].Text);
        Assert.Contains(ActionItemBlocks.Reassign, BlocksText(told[0]));
        Assert.Equal(4, await Scalar<int>(world.ConnectionString, "select chase_count from action_items where id = @id", new { id }));
        Assert.Single(world.Dms(Ada, "is overdue"), m => BlocksText(m).Contains("Escalate me"));
    }

    [Fact]
    public async Task AnItemWhoseIncidentHasAChannelIdSlackWouldNotGive_IsStillChased()
    {
        // Such a row came from a seeded database (the chase benchmark's first version): the DM failed to build,
        // and the day's claim was kept, so the retry found it held and the owner was never chased that day.
        var owner = world.NewOwner("Etc/UTC");
        var thursday = world.Next(DayOfWeek.Thursday);
        world.At(thursday.AddHours(6));
        await using (var c = await Open(world.ConnectionString))
        {
            var incident = await Dapper.SqlMapper.ExecuteScalarAsync<long>(c, """
                insert into incidents (team_id, number, title, status, commander_id, reporter_id, channel_name, created_at, resolved_at, channel_id)
                values ('TODD', 1, 'Odd channel', 'resolved', @owner, @owner, 'inc-odd', @now, @now, 'C-NOT-AN-ID') returning id
                """, new { owner, now = world.Clock.GetUtcNow() });
            await Dapper.SqlMapper.ExecuteAsync(c, """
                insert into action_items (incident_id, text, owner_id, due_on, due_at, created_at, updated_at)
                values (@incident, 'Odd channel item', @owner, cast(@day as date), @dueAt, @now, @now)
                """, new { incident, owner, day = thursday.ToString("yyyy-MM-dd"), dueAt = thursday.AddDays(1), now = world.Clock.GetUtcNow() });
        }
        world.At(thursday.AddHours(9).AddMinutes(31));
        await world.ChaseRun();
        Assert.Contains("Odd channel item", BlocksText(await world.WaitForChase(owner)));
    }

    [Fact]
    public void TheChaseRun_IsDeclaredOnce_AsARecurringJobWithItsId()
    {
        using var connection = world.App.Services.GetRequiredService<JobStorage>().GetConnection();
        var job = Assert.Single(connection.GetRecurringJobs(), j => j.Id == ChaseRunJob.RecurringId);
        Assert.Equal(NeverCron, job.Cron); // Bot:ActionItems:RunCron, "* * * * *" unless set
        Assert.Equal(nameof(ChaseRunJob), job.Job.Type.Name);
    }
}
