namespace Bot.Tests.Infrastructure;

/// <summary>Waits for an outcome with a deadline instead of sleeping a fixed time.</summary>
public static class Poll
{
    public static async Task<T> Until<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan? timeout = null, string? what = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var value = await probe();
            if (done(value))
                return value;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Gave up waiting{(what is null ? "" : " for " + what)}; last value: {value}");
            await Task.Delay(50);
        }
    }
}
