namespace Bot.Slack.Tests.Support;

public static class Poll
{
    /// <summary>Waits until the condition holds, failing the test after the deadline.</summary>
    public static async Task Until(Func<bool> condition, string what, int timeoutMs = 10_000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"timed out waiting for {what}");
            await Task.Delay(10);
        }
    }

    /// <summary>Awaits a task with a deadline so a broken test fails instead of hanging.</summary>
    public static async Task<T> Within<T>(Task<T> task, string what, int timeoutMs = 10_000)
    {
        var first = await Task.WhenAny(task, Task.Delay(timeoutMs));
        if (first != task) Assert.Fail($"timed out waiting for {what}");
        return await task;
    }

    public static async Task Within(Task task, string what, int timeoutMs = 10_000)
    {
        var first = await Task.WhenAny(task, Task.Delay(timeoutMs));
        if (first != task) Assert.Fail($"timed out waiting for {what}");
        await task;
    }
}
