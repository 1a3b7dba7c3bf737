using Bot.People;
using Bot.Tests.Postmortems;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Tests.Documents;

/// <summary>Names for a document with many people: a request fetches a bounded number of uncached users, a job all of
/// them, and what was fetched once is found in the cache afterwards.</summary>
public sealed class UserNamesTests(PostmortemWorld world) : IClassFixture<PostmortemWorld>
{
    [Fact]
    public async Task ManyPeople_RequestFetchesSome_JobFetchesAll_ThenAllAreCached()
    {
        var ids = Enumerable.Range(0, 40).Select(i => $"U0MANY{i:D2}").ToList();
        for (var i = 0; i < ids.Count; i++) world.Slack.AddUser(ids[i], $"user{i}", $"Real Person {i}", $"disp{i}", title: "Engineer");
        using var scope = world.App.Services.CreateScope();
        var people = scope.ServiceProvider.GetRequiredService<UserDirectory>();

        var capped = await people.People(ids.Take(30), default);
        var all = await people.People(ids, int.MaxValue, default);
        var calls = world.Slack.CallsTo("users.info").Count(c => c.Arg("user")?.StartsWith("U0MANY", StringComparison.Ordinal) == true);
        var again = await people.People(ids, default);

        Assert.Equal(25, capped.Count);
        Assert.Equal(40, all.Count);
        Assert.Equal("Real Person 7", all["U0MANY07"].RealName);
        Assert.Equal("Engineer", all["U0MANY07"].Title);
        Assert.Equal(40, calls); // 25 on the request, the other 15 in the job
        Assert.Equal(40, again.Count);
        Assert.Equal(calls, world.Slack.CallsTo("users.info").Count(c => c.Arg("user")?.StartsWith("U0MANY", StringComparison.Ordinal) == true));
    }
}
