using Bot.Tests.Infrastructure;
using Dapper;

namespace Bot.Tests.EndToEnd;

/// <summary>The job dies after Slack created the channel but before its id was stored (simulated by a trigger
/// that fails that update once): the retry meets name_taken on its own channel and adopts it, so the incident
/// still has exactly one channel. A class of its own: the trigger is on this class's database only.</summary>
public sealed class ChannelCrashWindowTests(IncidentWorld world) : IClassFixture<IncidentWorld>
{
    [Fact]
    public async Task CrashBetweenCreateAndRecord_RetryAdoptsTheChannel_NoSecondChannel()
    {
        await using (var conn = await world.Db())
            await conn.ExecuteAsync("""
                create sequence crash_once;
                create function crash_once_on_channel() returns trigger language plpgsql as $$
                begin
                    -- nextval is not rolled back with the failing transaction: only the first attempt fails.
                    if new.channel_id is not null and old.channel_id is null and nextval('crash_once') = 1 then
                        raise exception 'simulated crash after conversations.create';
                    end if;
                    return new;
                end $$;
                create trigger crash_once before update on incidents for each row execute function crash_once_on_channel();
                """);
        var team = "T" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();

        await world.Command("new Crash window", IncidentWorld.Ada, world.General.Id, team);
        var opened = await world.WaitUntilOpened(1, team);

        var today = DateTime.UtcNow.ToString("yyyyMMdd");
        Assert.Equal($"inc-{today}-crash-window", opened.ChannelName);
        var created = world.Slack.CallsTo("conversations.create").Where(c => c.Arg("name")!.Contains("crash-window")).ToList();
        Assert.Equal(2, created.Count);
        Assert.True(created[0].Ok);
        Assert.Equal("name_taken", created[1].Error);
        Assert.Single(world.Slack.Channels, c => c.Name?.Contains("crash-window") == true);
        Assert.Equal(opened.ChannelId, world.Slack.Channels.Single(c => c.Name == opened.ChannelName).Id);
        Assert.Single(world.Slack.Messages(opened.ChannelId), m => m.Subtype is null && m.BotId is not null);
    }
}
